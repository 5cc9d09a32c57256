import { hasValidCheckDigit } from './check-digit.ts'
import { parseGs1Date } from './gs1-dates.ts'
import { AI_TABLE, CSET82, lookupAi } from './gs1-ais.ts'

/** What a scan identifies: a product by GTIN-14 or internal SKU, plus label data when present. */
export interface ProductScan {
  gtin?: string
  sku?: string
  sscc?: string
  lot?: string
  expiry?: string
  serial?: string
  qty?: number
  poNumber?: string
}

export type BarcodeErrorCode =
  'EMPTY' | 'BAD_FORMAT' | 'BAD_CHECK_DIGIT' | 'UNKNOWN_AI' | 'TRUNCATED_AI' | 'BAD_AI_VALUE' | 'BAD_DATE' | 'NO_PRODUCT_ID'

export type DecodeResult = { ok: true; value: ProductScan } | { ok: false; code: BarcodeErrorCode; message: string }

const GS = '\x1d'
const GS1_SYMBOLOGY = /^\](C1|e0|d2|Q3|J1)/
const PLAIN_SYMBOLOGY = /^\][A-Za-z]\d/
const SKU = /^[A-Za-z0-9][A-Za-z0-9_.\-/]{0,63}$/
const GTIN_LENGTHS = new Set([8, 12, 13, 14])

const fail = (code: BarcodeErrorCode, message: string): DecodeResult => ({ ok: false, code, message })

/**
 * Decodes a raw scan: GTIN-8/12/13/14, an internal SKU, or a GS1 element string, either in
 * human-readable form with parentheses or as transmitted by a scanner (optional symbology
 * identifier such as `]C1`, FNC1 as the GS character).
 */
export function decodeBarcode(raw: string, today: Date = new Date()): DecodeResult {
  const text = raw.trim()
  if (text === '') return fail('EMPTY', 'empty barcode')
  if (text.startsWith('(')) return fromElements(parseParenthesised(text), today)
  if (GS1_SYMBOLOGY.test(text)) return fromElements(parseRaw(text.slice(3)), today)
  const plain = PLAIN_SYMBOLOGY.test(text) ? text.slice(3) : text
  if (plain.includes(GS)) return fromElements(parseRaw(plain), today)
  if (/^\d+$/.test(plain) && GTIN_LENGTHS.has(plain.length)) {
    if (!hasValidCheckDigit(plain)) return fail('BAD_CHECK_DIGIT', `GTIN ${plain} has a wrong check digit`)
    return { ok: true, value: { gtin: plain.padStart(14, '0') } }
  }
  // Scanners with symbology identifiers switched off send the element string bare: a leading
  // (01)/(02) with a valid GTIN, or all digits, marks it as GS1 rather than an SKU.
  if (
    plain.length >= 16 &&
    (/^0[12]\d{14}/.test(plain) ? hasValidCheckDigit(plain.slice(2, 16)) : /^\d+$/.test(plain) && lookupAi(plain, 0))
  ) {
    return fromElements(parseRaw(plain), today)
  }
  if (SKU.test(plain)) return { ok: true, value: { sku: plain } }
  return fail('BAD_FORMAT', 'not a GTIN, GS1 element string or SKU')
}

type Elements = { ok: true; pairs: [string, string][] } | { ok: false; code: BarcodeErrorCode; message: string }

function parseParenthesised(text: string): Elements {
  const pairs: [string, string][] = []
  const re = /\((\d{2,4})\)([^()]*)/gy
  let match: RegExpExecArray | null
  let consumed = 0
  while ((match = re.exec(text))) {
    const [whole, ai, value] = match as unknown as [string, string, string]
    if (!(ai in AI_TABLE)) return { ok: false, code: 'UNKNOWN_AI', message: `unknown AI (${ai})` }
    pairs.push([ai, value])
    consumed += whole.length
  }
  if (consumed !== text.length) return { ok: false, code: 'BAD_FORMAT', message: 'unbalanced parentheses' }
  return { ok: true, pairs }
}

function parseRaw(text: string): Elements {
  const pairs: [string, string][] = []
  let at = 0
  while (at < text.length) {
    if (text[at] === GS) {
      at++
      continue
    }
    const ai = lookupAi(text, at)
    if (!ai) return { ok: false, code: 'UNKNOWN_AI', message: `unknown AI at position ${at}: ${text.slice(at, at + 4)}` }
    const spec = AI_TABLE[ai]!
    at += ai.length
    if (spec.length !== undefined) {
      const value = text.slice(at, at + spec.length)
      if (value.length < spec.length || value.includes(GS)) {
        return { ok: false, code: 'TRUNCATED_AI', message: `AI (${ai}) needs ${spec.length} characters` }
      }
      pairs.push([ai, value])
      at += spec.length
    } else {
      const end = text.indexOf(GS, at)
      const value = text.slice(at, end === -1 ? text.length : end)
      pairs.push([ai, value])
      at += value.length
    }
  }
  return { ok: true, pairs }
}

function fromElements(parsed: Elements, today: Date): DecodeResult {
  if (!parsed.ok) return parsed
  const scan: ProductScan = {}
  const seen = new Set<string>()
  for (const [ai, value] of parsed.pairs) {
    const spec = AI_TABLE[ai]!
    if (seen.has(ai)) return fail('BAD_FORMAT', `AI (${ai}) appears twice`)
    seen.add(ai)
    if (spec.length !== undefined && value.length !== spec.length) {
      return fail('TRUNCATED_AI', `AI (${ai}) needs ${spec.length} characters, got ${value.length}`)
    }
    if (spec.max !== undefined && (value.length === 0 || value.length > spec.max)) {
      return fail('BAD_AI_VALUE', `AI (${ai}) takes 1 to ${spec.max} characters`)
    }
    if (spec.numeric ? !/^\d+$/.test(value) : !CSET82.test(value)) {
      return fail('BAD_AI_VALUE', `AI (${ai}) has characters it does not allow`)
    }
    if (spec.checkDigit && !hasValidCheckDigit(value)) return fail('BAD_CHECK_DIGIT', `AI (${ai}) ${value} has a wrong check digit`)
    let date: string | null = null
    if (spec.date && !(date = parseGs1Date(value, today))) return fail('BAD_DATE', `AI (${ai}) ${value} is not a date`)
    assign(scan, ai, value, date)
  }
  if (!scan.gtin) return fail('NO_PRODUCT_ID', 'the label has no GTIN (AI 01)')
  return { ok: true, value: scan }
}

function assign(scan: ProductScan, ai: string, value: string, date: string | null): void {
  switch (ai) {
    case '00':
      scan.sscc = value
      break
    case '01':
      scan.gtin = value
      break
    case '10':
      scan.lot = value
      break
    case '17':
      scan.expiry = date!
      break
    case '21':
      scan.serial = value
      break
    case '37':
      scan.qty = Number(value)
      break
    case '400':
      scan.poNumber = value
      break
    // 02, 11, 13, 15, 16 and 30 are validated but not used by stock movements.
  }
}
