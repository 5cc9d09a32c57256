import type { ReaderOptions } from 'zxing-wasm/reader'

/** What the camera looks for: provisioning QR codes, GS1-128 and EAN-13 labels, GS1 DataMatrix. */
export const READER_OPTIONS: ReaderOptions = {
  formats: ['QRCode', 'Code128', 'EAN13', 'DataMatrix'],
  // GS-separated elements (see barcode-text.ts), not the parenthesised human-readable form.
  textMode: 'Plain',
  tryHarder: true,
  maxNumberOfSymbols: 1,
}
