import { describe, it, expect } from 'vitest'
import { decodeBarcode, gs1CheckDigit, type BarcodeErrorCode } from '@wh/shared'
import { AI_TABLE } from '../../shared/src/barcode/gs1-ais.ts'

const GS = '\x1d'
const TODAY = new Date('2026-11-21T00:00:00Z')
// GS1 General Specifications examples: GTIN 09506000134352, SSCC 106141412345678908.
const GTIN = '09506000134352'
const SSCC = '106141412345678908'
const withCheckDigit = (body: string) => `${body}${gs1CheckDigit(body)}`
const GLN = withCheckDigit('950600013435')

function value(raw: string) {
  const result = decodeBarcode(raw, TODAY)
  if (!result.ok) throw new Error(`expected ${JSON.stringify(raw)} to decode, got ${result.code}: ${result.message}`)
  return result.value
}

function refusal(raw: string): { code: BarcodeErrorCode | 'ok'; message: string } {
  const result = decodeBarcode(raw, TODAY)
  return result.ok ? { code: 'ok', message: '' } : result
}

/** What an item label keeps of one element beyond its GTIN. */
const kept = (ai: string, data: string) => value(`(01)${GTIN}(${ai})${data}`).ais?.[ai]

describe('the GS1 AI table', () => {
  it('has every AI family of the General Specifications, ranges spelled out', () => {
    for (const ai of ['00', '03', '12', '20', '235', '255', '3100', '3695', '3909', '3943', '4333', '7259', '8043', '8200', '90', '99']) {
      expect(AI_TABLE.has(ai), ai).toBe(true)
    }
    for (const ai of ['04', '14', '18', '19', '23', '3106', '3380', '3944', '3956', '418', '4334', '7100', '7260', '8015', '8201', '9']) {
      expect(AI_TABLE.has(ai), ai).toBe(false)
    }
  })

  it('is prefix-free, so reading the shortest matching AI is never ambiguous', () => {
    const ais = [...AI_TABLE.keys()]
    for (const ai of ais)
      expect(
        ais.filter((other) => other !== ai && other.startsWith(ai)),
        ai,
      ).toEqual([])
  })

  it('gives every AI of predefined length (no FNC1 after it) a fixed length', () => {
    for (const [ai, spec] of AI_TABLE) if (spec.predefined) expect(spec.min, ai).toBe(spec.max)
    expect(AI_TABLE.get('7003')).toMatchObject({ min: 10, max: 10, predefined: false })
  })
})

describe('AIs the hub has no field for are parsed and kept', () => {
  it.each([
    ['11', '250101'],
    ['12', '270100'],
    ['13', '261130'],
    ['15', '270228'],
    ['16', '270200'],
  ])('date AI (%s) %s', (ai, date) => expect(kept(ai, date)).toBe(date))

  it('refuses a date that is not one in every date AI, and a day 00 where only YYMMDD is allowed', () => {
    for (const ai of ['11', '12', '13', '15', '16', '17']) expect(refusal(`(01)${GTIN}(${ai})270230`).code, ai).toBe('BAD_DATE')
    expect(kept('7006', '270131')).toBe('270131')
    expect(refusal(`(01)${GTIN}(7006)270100`).code).toBe('BAD_DATE')
    expect(refusal(`(01)${GTIN}(7003)2713011200`).code).toBe('BAD_DATE')
  })

  it('keeps measures 310n-369n as read, the decimal point in the AI, and refuses n above 5', () => {
    expect(value(`(01)${GTIN}(3103)000525(3300)001250(3922)4711`).ais).toEqual({ '3103': '000525', '3300': '001250', '3922': '4711' })
    expect(kept('3695', '123456')).toBe('123456')
    expect(kept('3205', '000100')).toBe('000100')
    expect(refusal(`(01)${GTIN}(3106)000525`).code).toBe('UNKNOWN_AI')
    expect(refusal(`(01)${GTIN}(3103)00052`).code).toBe('TRUNCATED_AI')
    expect(refusal(`(01)${GTIN}(3103)00052A`).code).toBe('BAD_AI_VALUE')
  })

  it('keeps amounts and prices 390n-395n, with and without an ISO 4217 currency', () => {
    expect(kept('3902', '1999')).toBe('1999')
    expect(kept('3932', '9784711')).toBe('9784711')
    expect(kept('3943', '2500')).toBe('2500')
    expect(kept('3955', '001234')).toBe('001234')
    expect(refusal(`(01)${GTIN}(3922)${'1'.repeat(16)}`).code).toBe('BAD_AI_VALUE')
    expect(refusal(`(01)${GTIN}(3932)97`).code).toBe('BAD_AI_VALUE')
    expect(refusal(`(01)${GTIN}(3944)2500`).code).toBe('UNKNOWN_AI')
  })

  it('keeps 400-series references: order, consignment, route, postcodes, countries', () => {
    expect(value(`(01)${GTIN}(400)PO-17(401)GINC/1(403)ROUTE-9(420)NW1(422)276`)).toEqual({
      gtin: GTIN,
      poNumber: 'PO-17',
      ais: { '401': 'GINC/1', '403': 'ROUTE-9', '420': 'NW1', '422': '276' },
    })
    expect(kept('421', '27649716')).toBe('27649716')
    expect(kept('423', '276528')).toBe('276528')
    expect(refusal(`(01)${GTIN}(423)27652`).code).toBe('BAD_AI_VALUE')
    expect(refusal(`(01)${GTIN}(422)27A`).code).toBe('BAD_AI_VALUE')
  })

  it('keeps GLNs 410-417 after checking their check digit', () => {
    for (const ai of ['410', '411', '412', '413', '414', '415', '416', '417']) expect(kept(ai, GLN), ai).toBe(GLN)
    const wrong = `${GLN.slice(0, 12)}${(Number(GLN.at(-1)) + 1) % 10}`
    expect(refusal(`(01)${GTIN}(414)${wrong}`).code).toBe('BAD_CHECK_DIGIT')
    expect(refusal(`(01)${GTIN}(414)${GLN.slice(1)}`).code).toBe('TRUNCATED_AI')
  })

  it('keeps 7xxx elements: meat cut, processors, certifications, national codes, protocol', () => {
    expect(value(`]C101${GTIN}7002CUT-1${GS}`).ais).toEqual({ '7002': 'CUT-1' })
    expect(kept('7030', '276PLANT-9')).toBe('276PLANT-9')
    expect(kept('7230', 'EMCERT-4')).toBe('EMCERT-4')
    expect(kept('7040', '1AB3')).toBe('1AB3')
    expect(kept('714', 'AIM-1234')).toBe('AIM-1234')
    expect(kept('7240', 'PROTO-1')).toBe('PROTO-1')
    expect(refusal(`(01)${GTIN}(7030)27`).code).toBe('BAD_AI_VALUE')
  })

  it('keeps 8xxx elements: GRAI, ITIP, GSRN, digital signature and the product URL', () => {
    const grai = `0${withCheckDigit('950600013435')}SERIAL1`
    expect(kept('8003', grai)).toBe(grai)
    expect(kept('8006', `${GTIN}0102`)).toBe(`${GTIN}0102`)
    expect(kept('8018', withCheckDigit('95060001343500000'))).toHaveLength(18)
    expect(kept('8030', 'MEUCIQ-x_y')).toBe('MEUCIQ-x_y')
    expect(kept('8200', 'https://example.com/p/1')).toBe('https://example.com/p/1')
    expect(refusal(`(01)${GTIN}(8003)0${'9'.repeat(13)}`).code).toBe('BAD_CHECK_DIGIT')
    expect(refusal(`(01)${GTIN}(8030)not base64!`).code).toBe('BAD_AI_VALUE')
  })

  it('keeps internal AIs 90-99 up to their length', () => {
    expect(value(`(01)${GTIN}(90)BIN-4(91)${'X'.repeat(90)}(99)ZONE/A`).ais).toEqual({
      '90': 'BIN-4',
      '91': 'X'.repeat(90),
      '99': 'ZONE/A',
    })
    expect(refusal(`(01)${GTIN}(90)${'X'.repeat(31)}`).code).toBe('BAD_AI_VALUE')
    expect(refusal(`(01)${GTIN}(95)${'X'.repeat(91)}`).code).toBe('BAD_AI_VALUE')
  })
})

describe('element boundaries (FNC1)', () => {
  it('reads an AI of predefined length and goes straight on to the next', () => {
    expect(value(`]C101${GTIN}3103000525` + `11261101` + `10L42`)).toEqual({
      gtin: GTIN,
      lot: 'L42',
      ais: { '3103': '000525', '11': '261101' },
    })
  })

  it('ends a fixed-length AI outside the predefined list at FNC1, not at its length', () => {
    expect(refusal(`]C101${GTIN}7003271231123010L42`)).toMatchObject({ code: 'BAD_AI_VALUE', message: expect.stringMatching(/FNC1/) })
    expect(value(`]C101${GTIN}70032712311230${GS}10L42`)).toEqual({ gtin: GTIN, lot: 'L42', ais: { '7003': '2712311230' } })
  })

  it('ends a variable-length AI at FNC1 or at the end, and ignores FNC1 in first position or doubled', () => {
    expect(value(`]d2${GS}01${GTIN}91ABC${GS}${GS}10L42${GS}`)).toEqual({ gtin: GTIN, lot: 'L42', ais: { '91': 'ABC' } })
    expect(value(`]Q301${GTIN}92${'9'.repeat(12)}`)).toEqual({ gtin: GTIN, ais: { '92': '9'.repeat(12) } })
  })

  it('takes the bracketed form and the transmitted form to the same value', () => {
    const bracketed = value(`(01)${GTIN}(3103)000525(7003)2712311230(10)L42(91)X1`)
    expect(value(`]C101${GTIN}3103000525` + `70032712311230${GS}10L42${GS}91X1`)).toEqual(bracketed)
  })
})

describe('what is refused', () => {
  it.each(['(23)ABC', '(04)123', '(3106)000525', '(4000)X', '(7100)X', '(8015)X', '(18)123456'])(
    'an AI not in the GS1 table: %s',
    (element) => {
      const result = refusal(`(01)${GTIN}${element}`)
      expect(result.code).toBe('UNKNOWN_AI')
      expect(result.message).toMatch(/is not a GS1 Application Identifier/)
    },
  )

  it('names the position of an unknown AI in a transmitted string', () => {
    expect(refusal(`]C101${GTIN}0412`)).toMatchObject({ code: 'UNKNOWN_AI', message: expect.stringMatching(/position 16/) })
  })

  it('holds a lot to 20 characters', () => {
    expect(value(`(01)${GTIN}(10)${'L'.repeat(20)}`).lot).toBe('L'.repeat(20))
    expect(value(`]C110${'L'.repeat(20)}${GS}01${GTIN}`).lot).toBe('L'.repeat(20))
    expect(refusal(`(01)${GTIN}(10)${'L'.repeat(21)}`).code).toBe('BAD_AI_VALUE')
    expect(refusal(`]C110${'L'.repeat(21)}${GS}01${GTIN}`).code).toBe('BAD_AI_VALUE')
  })
})

describe('logistic labels: (00) SSCC with (02) content and (37) count', () => {
  const pallet = { sscc: SSCC, contentGtin: GTIN, qty: 48 }

  it.each([
    ['bracketed', `(00)${SSCC}(02)${GTIN}(37)48`],
    ['GS1-128', `]C100${SSCC}02${GTIN}3748`],
    ['DataMatrix with FNC1 after the count', `]d200${SSCC}02${GTIN}3748${GS}`],
    ['bare digits', `00${SSCC}02${GTIN}3748`],
  ])('reads a pallet of 48 from the %s form, the content apart from an item GTIN', (_form, raw) => {
    expect(value(raw)).toEqual(pallet)
  })

  it('keeps lot, expiry, order and the gross weight of the pallet with its content', () => {
    expect(value(`(00)${SSCC}(02)${GTIN}(37)48(10)L7(17)270630(400)PO-9(3301)012505`)).toEqual({
      ...pallet,
      lot: 'L7',
      expiry: '2027-06-30',
      poNumber: 'PO-9',
      ais: { '3301': '012505' },
    })
  })

  it('reads an SSCC on an item label as the item itself', () => {
    expect(value(`(00)${SSCC}(01)${GTIN}(37)5`)).toEqual({ sscc: SSCC, gtin: GTIN, qty: 5 })
  })

  it.each<[string, string, BarcodeErrorCode]>([
    ['an SSCC with a wrong check digit', `(00)106141412345678909(02)${GTIN}(37)48`, 'BAD_CHECK_DIGIT'],
    ['a content GTIN with a wrong check digit', `(00)${SSCC}(02)09506000134353(37)48`, 'BAD_CHECK_DIGIT'],
    ['an SSCC of 17 digits', `(00)${SSCC.slice(1)}(02)${GTIN}(37)48`, 'TRUNCATED_AI'],
    ['content without a count', `(00)${SSCC}(02)${GTIN}`, 'BAD_FORMAT'],
    ['both an item and a content GTIN', `(00)${SSCC}(01)${GTIN}(02)${GTIN}(37)48`, 'BAD_FORMAT'],
    ['an SSCC and a count but no GTIN', `(00)${SSCC}(37)48`, 'NO_PRODUCT_ID'],
  ])('refuses %s', (_name, raw, expected) => expect(refusal(raw).code).toBe(expected))
})
