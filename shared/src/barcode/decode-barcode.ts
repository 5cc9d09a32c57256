import { hasValidCheckDigit } from './check-digit.ts'
import { AI_TABLE, checkElement, lookupAi } from './gs1-ais.ts'

/**
 * What a scan identifies: a product by GTIN-14 or internal SKU, plus label data when present.
 * A trade item's own label names it with (01) `gtin`; a logistic unit's (a pallet with an SSCC)
 * names what it holds with (02) `contentGtin` and how many of them with (37) `qty`.
 */
export interface ProductScan {
  gtin?: string
  contentGtin?: string
  sku?: string
  sscc?: string
  lot?: string
  expiry?: string
  serial?: string
  qty?: number
  poNumber?: string
  /**
   * Every other element on the label, by AI, as read: nothing printed on it is lost. A measure's
   * decimal point is given by its AI's last digit: (3103)000525 is 0.525 kg.
   */
  ais?: Record<string, string>
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
  // (01)/(02) with a valid GTIN marks it as GS1 rather than an SKU. With the whole AI table
  // nearly any long run of digits starts with an AI, so one is taken as GS1 when it starts with
  // an AI of predefined length (an SSCC, a GTIN, a date, a measure), or reads as a label.
  if (plain.length >= 16 && /^0[12]\d{14}/.test(plain) && hasValidCheckDigit(plain.slice(2, 16))) {
    return fromElements(parseRaw(plain), today)
  }
  if (plain.length >= 16 && /^\d+$/.test(plain)) {
    const label = fromElements(parseRaw(plain), today)
    const first = lookupAi(plain, 0)
    if (label.ok || (first && AI_TABLE.get(first)!.predefined)) return label
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
    if (!AI_TABLE.has(ai)) return { ok: false, code: 'UNKNOWN_AI', message: `(${ai}) is not a GS1 Application Identifier` }
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
    if (!ai) {
      const seen = text.slice(at, at + 4)
      return { ok: false, code: 'UNKNOWN_AI', message: `no GS1 Application Identifier at position ${at}: ${JSON.stringify(seen)}` }
    }
    const spec = AI_TABLE.get(ai)!
    at += ai.length
    if (spec.predefined) {
      const value = text.slice(at, at + spec.max)
      if (value.length < spec.max || value.includes(GS)) {
        return { ok: false, code: 'TRUNCATED_AI', message: `AI (${ai}) needs ${spec.max} characters` }
      }
      pairs.push([ai, value])
      at += spec.max
    } else {
      // Any other element, even of a fixed length, runs to the next FNC1 (GS) or the end.
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
    if (seen.has(ai)) return fail('BAD_FORMAT', `AI (${ai}) appears twice`)
    seen.add(ai)
    const checked = checkElement(ai, value, today)
    if (!checked.ok) return checked
    assign(scan, ai, value, checked.date)
  }
  // In the GenSpecs (02) is the content of a logistic unit, never the unit itself, and must come
  // with its count (37): without it the label cannot say how much it carries.
  if (scan.gtin && scan.contentGtin) return fail('BAD_FORMAT', 'a label names an item (01) or the content of a unit (02), not both')
  if (scan.contentGtin && scan.qty === undefined) return fail('BAD_FORMAT', 'the content (02) of a logistic unit needs its count (37)')
  if (!scan.gtin && !scan.contentGtin) return fail('NO_PRODUCT_ID', 'the label has no GTIN (AI 01 or 02)')
  return { ok: true, value: scan }
}

const FIELDS: Record<string, keyof ProductScan> = {
  '00': 'sscc',
  '01': 'gtin',
  '02': 'contentGtin',
  '10': 'lot',
  '21': 'serial',
  '400': 'poNumber',
}

function assign(scan: ProductScan, ai: string, value: string, date: string | undefined): void {
  const field = FIELDS[ai]
  if (field) Object.assign(scan, { [field]: value })
  else if (ai === '17') scan.expiry = date!
  else if (ai === '37') scan.qty = Number(value)
  else (scan.ais ??= {})[ai] = value
}
