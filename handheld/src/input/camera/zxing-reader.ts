import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader'
// Our own build's copy of the decoder: the app must scan with no network, so never a CDN.
import wasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url'
import { zxingText } from './barcode-text.ts'
import { READER_OPTIONS } from './reader-options.ts'

prepareZXingModule({ overrides: { locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? wasmUrl : prefix + path) } })

/** The first barcode in a video frame, as a scan's text; undefined when there is none. */
export async function readFrame(frame: ImageData): Promise<string | undefined> {
  const [result] = await readBarcodes(frame, READER_OPTIONS)
  return result?.isValid ? zxingText(result) : undefined
}
