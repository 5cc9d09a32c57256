import { describe, it, expect } from 'vitest'
import { decodeBarcode, gs1CheckDigit, hasValidCheckDigit, type BarcodeErrorCode } from '@wh/shared'

const GS = '\x1d'
const TODAY = new Date('2026-11-21T00:00:00Z')
// GS1 General Specifications examples: GTIN 09506000134352, SSCC 106141412345678908.
const GTIN = '09506000134352'
const SSCC = '106141412345678908'

const decode = (raw: string, today = TODAY) => decodeBarcode(raw, today)

function value(raw: string, today = TODAY) {
  const result = decode(raw, today)
  if (!result.ok) throw new Error(`expected ${JSON.stringify(raw)} to decode, got ${result.code}: ${result.message}`)
  return result.value
}

function code(raw: string, today = TODAY): BarcodeErrorCode | 'ok' {
  const result = decode(raw, today)
  return result.ok ? 'ok' : result.code
}

describe('gs1CheckDigit / hasValidCheckDigit', () => {
  it.each([
    ['9638507', 4], // GTIN-8 96385074
    ['03600029145', 2], // GTIN-12 (UPC-A) 036000291452
    ['400638133393', 1], // GTIN-13 4006381333931
    ['0950600013435', 2], // GTIN-14 09506000134352
    ['10614141234567890', 8], // SSCC 106141412345678908
    ['1234567890123', 1],
  ])('check digit of %s is %i', (body, digit) => {
    expect(gs1CheckDigit(body)).toBe(digit)
    expect(hasValidCheckDigit(body + digit)).toBe(true)
    expect(hasValidCheckDigit(body + ((digit + 1) % 10))).toBe(false)
  })

  it('rejects inputs that are not at least two digits', () => {
    for (const bad of ['', '0', '7', '0950600013435a', ' 09506000134352', '0950600013435٢', '-1']) {
      expect(hasValidCheckDigit(bad), JSON.stringify(bad)).toBe(false)
    }
  })
})

describe('GTINs and SKUs', () => {
  it.each([
    ['GTIN-8', '96385074', '00000096385074'],
    ['GTIN-12', '036000291452', '00036000291452'],
    ['GTIN-13', '4006381333931', '04006381333931'],
    ['GTIN-13', '9506000134352', GTIN],
    ['GTIN-14', GTIN, GTIN],
    ['GTIN-14', '10614141000415', '10614141000415'],
  ])('%s %s is normalised to 14 digits', (_kind, raw, gtin) => {
    expect(decode(raw)).toEqual({ ok: true, value: { gtin } })
  })

  it.each(['96385075', '036000291453', '4006381333930', '9506000134353', '09506000134353'])('rejects %s with a wrong check digit', (raw) =>
    expect(code(raw)).toBe('BAD_CHECK_DIGIT'),
  )

  it('trims surrounding whitespace and CR/LF sent by scanners', () => {
    expect(value(` ${GTIN}\r\n`)).toEqual({ gtin: GTIN })
    expect(value('\tP-1\n')).toEqual({ sku: 'P-1' })
  })

  it('accepts a plain symbology identifier before a GTIN', () => {
    expect(value(`]E0${'9506000134352'}`)).toEqual({ gtin: GTIN })
  })

  it.each(['P-1', 'ABC-123', 'sku_9.8/7', 'a', '123456', '123456789012345', 'X'.repeat(64)])('plain SKU %s', (sku) => {
    expect(decode(sku)).toEqual({ ok: true, value: { sku } })
  })

  it('rejects SKUs that are too long or start with punctuation', () => {
    expect(code('X'.repeat(65))).toBe('BAD_FORMAT')
    expect(code('-P1')).toBe('BAD_FORMAT')
    expect(code('.hidden')).toBe('BAD_FORMAT')
  })

  it('reports EMPTY for blank input', () => {
    expect(code('')).toBe('EMPTY')
    expect(code(' \r\n\t')).toBe('EMPTY')
  })
})

describe('GS1 element strings', () => {
  const label = { gtin: GTIN, lot: 'L42', expiry: '2027-12-31', qty: 12 }

  it('parses the parenthesised human-readable form', () => {
    expect(decode(`(01)${GTIN}(10)L42(17)271231(37)12`)).toEqual({ ok: true, value: label })
  })

  it('parses AIs 00, 21 and 400', () => {
    expect(value(`(00)${SSCC}(01)${GTIN}(21)12345ABC(400)PO-2026/17`)).toEqual({
      sscc: SSCC,
      gtin: GTIN,
      serial: '12345ABC',
      poNumber: 'PO-2026/17',
    })
  })

  it.each([
    ['GS1-128 ]C1', `]C101${GTIN}17271231` + `10L42${GS}3712`],
    ['DataMatrix ]d2', `]d201${GTIN}17271231` + `10L42${GS}3712`],
    ['QR ]Q3', `]Q301${GTIN}17271231` + `10L42${GS}3712`],
    ['DataBar ]e0', `]e001${GTIN}17271231` + `10L42${GS}3712`],
    ['no symbology identifier, GS separator', `01${GTIN}17271231` + `10L42${GS}3712`],
    ['leading FNC1 as GS', `]C1${GS}01${GTIN}17271231` + `10L42${GS}3712`],
    ['trailing GS', `]C101${GTIN}17271231` + `10L42${GS}3712${GS}`],
  ])('parses the raw form: %s', (_name, raw) => {
    expect(decode(raw)).toEqual({ ok: true, value: label })
  })

  it('reads a variable-length AI last without a separator', () => {
    expect(value(`]C101${GTIN}10L42`)).toEqual({ gtin: GTIN, lot: 'L42' })
    expect(value(`]d201${GTIN}21SN-0001`)).toEqual({ gtin: GTIN, serial: 'SN-0001' })
    expect(value(`]C101${GTIN}37000012`)).toEqual({ gtin: GTIN, qty: 12 })
  })

  it('reads a fixed-length AI followed directly by the next AI', () => {
    expect(value(`]C100${SSCC}01${GTIN}3712`)).toEqual({ sscc: SSCC, gtin: GTIN, qty: 12 })
    expect(value(`]C101${GTIN}17271231` + `400PO1`)).toEqual({ gtin: GTIN, expiry: '2027-12-31', poNumber: 'PO1' })
  })

  it('ends a variable-length AI at GS, not at its maximum length', () => {
    expect(value(`]C110ABC${GS}01${GTIN}`)).toEqual({ gtin: GTIN, lot: 'ABC' })
    expect(value(`01${GTIN}21${'9'.repeat(20)}${GS}400X`)).toEqual({ gtin: GTIN, serial: '9'.repeat(20), poNumber: 'X' })
  })

  it('recognises an all-digit element string without GS or symbology identifier', () => {
    expect(value(`01${GTIN}`)).toEqual({ gtin: GTIN })
    expect(value(`01${GTIN}17271231` + '3712')).toEqual({ gtin: GTIN, expiry: '2027-12-31', qty: 12 })
  })
})

describe('GS1 dates (AI 17)', () => {
  const expiry = (yymmdd: string, today = TODAY) => value(`(01)${GTIN}(17)${yymmdd}`, today).expiry

  it('reads YYMMDD', () => {
    expect(expiry('271231')).toBe('2027-12-31')
    expect(expiry('260101')).toBe('2026-01-01')
  })

  it('reads DD = 00 as the last day of the month', () => {
    expect(expiry('250200')).toBe('2025-02-28')
    expect(expiry('240200')).toBe('2024-02-29')
    expect(expiry('250400')).toBe('2025-04-30')
    expect(expiry('251200')).toBe('2025-12-31')
  })

  it('applies the GS1 century rule (GenSpecs 7.12) relative to today', () => {
    // today 2026: YY - 26 >= 51 -> 19YY, <= -50 -> 21YY
    expect(expiry('760101')).toBe('2076-01-01') // diff 50: this century
    expect(expiry('770101')).toBe('1977-01-01') // diff 51: previous century
    expect(expiry('990101')).toBe('1999-01-01')
    expect(expiry('000101')).toBe('2000-01-01')
    const in2080 = new Date('2080-06-01T00:00:00Z')
    expect(expiry('300101', in2080)).toBe('2130-01-01') // diff -50: next century
    expect(expiry('310101', in2080)).toBe('2031-01-01') // diff -49: this century
    expect(expiry('000228', in2080)).toBe('2100-02-28')
  })

  it.each([
    ['month 13', '271301'],
    ['month 00', '270001'],
    ['Feb 30', '270230'],
    ['Feb 29 in a common year', '250229'],
    ['day 32', '270132'],
    ['Apr 31', '270431'],
  ])('rejects %s', (_name, yymmdd) => {
    expect(code(`(01)${GTIN}(17)${yymmdd}`)).toBe('BAD_DATE')
  })

  it('accepts Feb 29 in a leap year and rejects it in 2100', () => {
    expect(expiry('240229')).toBe('2024-02-29')
    expect(code(`(01)${GTIN}(17)000229`, new Date('2080-06-01T00:00:00Z'))).toBe('BAD_DATE')
  })

  it('validates the other date AIs too', () => {
    expect(code(`(01)${GTIN}(11)251301`)).toBe('BAD_DATE')
    expect(code(`]C101${GTIN}15270230`)).toBe('BAD_DATE')
    expect(value(`(01)${GTIN}(11)250101`)).toEqual({ gtin: GTIN, ais: { '11': '250101' } })
  })
})

describe('element string errors', () => {
  it.each<[string, string, BarcodeErrorCode]>([
    ['GTIN check digit', '(01)09506000134353', 'BAD_CHECK_DIGIT'],
    ['SSCC check digit', `(00)106141412345678909(01)${GTIN}`, 'BAD_CHECK_DIGIT'],
    ['raw GTIN check digit', ']C10109506000134353', 'BAD_CHECK_DIGIT'],
    ['AI not in the GS1 table in parentheses', `(01)${GTIN}(23)ABC`, 'UNKNOWN_AI'],
    ['unknown 4-digit AI', `(01)${GTIN}(4000)X`, 'UNKNOWN_AI'],
    ['raw AI not in the GS1 table', `]C101${GTIN}0412`, 'UNKNOWN_AI'],
    ['measure with 6 decimals', `(01)${GTIN}(3106)000525`, 'UNKNOWN_AI'],
    ['raw garbage after ]C1', ']C1HELLO', 'UNKNOWN_AI'],
    ['short raw GTIN', ']C1010950600013435', 'TRUNCATED_AI'],
    ['GS inside a fixed-length AI', `]C1010950600013${GS}10L42`, 'TRUNCATED_AI'],
    ['date cut short', `]C101${GTIN}172712`, 'TRUNCATED_AI'],
    ['short GTIN in parentheses', '(01)0950600013435', 'TRUNCATED_AI'],
    ['short date in parentheses', `(01)${GTIN}(17)2712`, 'TRUNCATED_AI'],
    ['lot of 21 characters', `(01)${GTIN}(10)${'A'.repeat(21)}`, 'BAD_AI_VALUE'],
    ['empty lot', `(01)${GTIN}(10)`, 'BAD_AI_VALUE'],
    ['empty raw lot', `]C101${GTIN}10${GS}3712`, 'BAD_AI_VALUE'],
    ['AI at the very end', `]C101${GTIN}10`, 'BAD_AI_VALUE'],
    ['letters in a count', `(01)${GTIN}(37)12a`, 'BAD_AI_VALUE'],
    ['count of 9 digits', `(01)${GTIN}(37)123456789`, 'BAD_AI_VALUE'],
    ['letters in a GTIN', '(01)0950600013435A', 'BAD_AI_VALUE'],
    ['space in a lot', `(01)${GTIN}(10)L 42`, 'BAD_AI_VALUE'],
    ['GS inside a parenthesised lot', `(01)${GTIN}(10)L${GS}42`, 'BAD_AI_VALUE'],
    ['SQL in a lot', `(01)${GTIN}(10)'; DROP TABLE products;--`, 'BAD_AI_VALUE'],
    ['non-ASCII in a serial', `]C101${GTIN}21SN\u00e9`, 'BAD_AI_VALUE'],
    ['SSCC only', `(00)${SSCC}`, 'NO_PRODUCT_ID'],
    ['raw SSCC only', `00${SSCC}`, 'NO_PRODUCT_ID'],
    ['SSCC and count only', `]C100${SSCC}3712`, 'NO_PRODUCT_ID'],
    ['lot only', '(10)L42', 'NO_PRODUCT_ID'],
    ['duplicate AI', `(01)${GTIN}(10)A(10)B`, 'BAD_FORMAT'],
    ['unbalanced parentheses', `(01)${GTIN})`, 'BAD_FORMAT'],
    ['unclosed AI', '(01', 'BAD_FORMAT'],
    ['one-digit AI', `(1)${GTIN}`, 'BAD_FORMAT'],
    ['text before the first AI', `x(01)${GTIN}`, 'BAD_FORMAT'],
  ])('%s -> %s', (_name, raw, expected) => {
    const result = decode(raw)
    expect(result.ok).toBe(false)
    if (!result.ok) {
      expect(result.code).toBe(expected)
      expect(result.message).toEqual(expect.any(String))
      expect(result.message.length).toBeGreaterThan(0)
    }
  })
})

describe('hostile input', () => {
  it.each([
    ['SQL injection', "'; DROP TABLE products;--"],
    ['SQL with OR', "P-1' OR '1'='1"],
    ['NUL byte', 'P-1\0'],
    ['NUL inside a GTIN', '0950600013\x004352'],
    ['zero-width space', 'P\u200B1'],
    ['zero-width space inside a GTIN', '0950600013435\u200B2'],
    ['RTL override', '\u202EP-1'],
    ['HTML', '<script>alert(1)</script>'],
    ['path traversal', '../../etc/passwd'],
    ['MQTT wildcards', 'wh/#'],
    ['10 KB of letters', 'A'.repeat(10 * 1024)],
    ['10 KB of digits', '9'.repeat(10 * 1024)],
    ['emoji', 'P-1\u{1F4A9}'],
  ])('%s -> BAD_FORMAT', (_name, raw) => {
    expect(code(raw)).toBe('BAD_FORMAT')
  })

  it('does not accept a 10 KB element string', () => {
    expect(decode(`]C101${GTIN}10${'A'.repeat(10 * 1024)}`).ok).toBe(false)
    expect(decode(`(01)${GTIN}(10)${'A'.repeat(10 * 1024)}`).ok).toBe(false)
  })
})
