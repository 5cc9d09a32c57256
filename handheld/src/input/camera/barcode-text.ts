/**
 * The text a scan sends, from what a camera decoder read, in the form a wedge scanner types and
 * the hub's decoder reads (shared/src/barcode/decode-barcode.ts): plain symbols as they are, and a
 * GS1 symbol as its symbology identifier (`]C1` GS1-128, `]d2` GS1 DataMatrix, `]Q3` GS1 QR) and
 * the element string with GS between elements. Not the parenthesised form: a lot may itself
 * contain parentheses, which would be read as the next element.
 */
const GS = '\x1d'

/** A zxing-wasm result read with `textMode: 'Plain'`, which gives the elements GS-separated. */
export function zxingText(result: { text: string; symbologyIdentifier: string; contentType: string }): string {
  return result.contentType === 'GS1' ? result.symbologyIdentifier + result.text : result.text
}

/** The identifier of a GS1 symbol by the BarcodeDetector's format name. */
const GS1_IDS: Record<string, string> = { code_128: ']C1', data_matrix: ']d2', qr_code: ']Q3' }

/**
 * A BarcodeDetector's `rawValue`. It has no symbology identifier; a GS1 symbol shows by its FNC1,
 * given as GS (leading, or between elements), and gets the identifier of its format.
 */
export function detectorText(format: string, rawValue: string): string {
  const id = GS1_IDS[format]
  if (!id || !rawValue.includes(GS)) return rawValue
  return id + (rawValue.startsWith(GS) ? rawValue.slice(1) : rawValue)
}
