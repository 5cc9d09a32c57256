/**
 * The Application Identifiers a warehouse scanner meets on trade-item and logistic labels
 * (GS1 General Specifications 3.2). `length` is fixed; `max` marks a variable-length field,
 * which ends at a GS (FNC1) separator or at the end of the string.
 */
export interface AiSpec {
  title: string
  length?: number
  max?: number
  numeric: boolean
  checkDigit?: boolean
  date?: boolean
}

export const AI_TABLE: Record<string, AiSpec> = {
  '00': { title: 'SSCC', length: 18, numeric: true, checkDigit: true },
  '01': { title: 'GTIN', length: 14, numeric: true, checkDigit: true },
  '02': { title: 'CONTENT', length: 14, numeric: true, checkDigit: true },
  '10': { title: 'BATCH/LOT', max: 20, numeric: false },
  '11': { title: 'PROD DATE', length: 6, numeric: true, date: true },
  '13': { title: 'PACK DATE', length: 6, numeric: true, date: true },
  '15': { title: 'BEST BEFORE', length: 6, numeric: true, date: true },
  '16': { title: 'SELL BY', length: 6, numeric: true, date: true },
  '17': { title: 'USE BY OR EXPIRY', length: 6, numeric: true, date: true },
  '21': { title: 'SERIAL', max: 20, numeric: false },
  '30': { title: 'VAR. COUNT', max: 8, numeric: true },
  '37': { title: 'COUNT', max: 8, numeric: true },
  '400': { title: 'ORDER NUMBER', max: 30, numeric: false },
}

/** AIs are 2 to 4 digits; the table has no prefix clashes, so the shortest match is the AI. */
export function lookupAi(text: string, at: number): string | null {
  for (const size of [2, 3, 4]) {
    const candidate = text.slice(at, at + size)
    if (candidate in AI_TABLE) return candidate
  }
  return null
}

/** GS1 AI encodable character set 82 (GS1 General Specifications 7.11, figure 7.11-1). */
export const CSET82 = /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]*$/
