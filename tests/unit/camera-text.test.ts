import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { beforeAll, describe, expect, it } from 'vitest'
import * as reader from 'zxing-wasm/reader'
import * as writer from 'zxing-wasm/writer'
import { decodeBarcode } from '@wh/shared'
import { detectorText, zxingText } from '../../handheld/src/input/camera/barcode-text.ts'
import { READER_OPTIONS } from '../../handheld/src/input/camera/reader-options.ts'

const require = createRequire(import.meta.url)
const wasm = (name: string) => {
  const bytes = readFileSync(require.resolve(name))
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
}

/** Prints `text` as a symbol with zxing's writer and reads it back as the camera does. */
async function roundTrip(text: string, format: 'Code128' | 'DataMatrix' | 'QRCode' | 'EAN13', gs1 = false): Promise<string> {
  const written = await writer.writeBarcode(text, { format, options: gs1 ? 'gs1' : '', scale: 3 })
  if (written.error || !written.image) throw new Error(written.error)
  const [result] = await reader.readBarcodes(new Uint8Array(await written.image.arrayBuffer()), READER_OPTIONS)
  if (!result) throw new Error('nothing read')
  return zxingText(result)
}

describe('camera scan text', () => {
  beforeAll(() => {
    reader.prepareZXingModule({ overrides: { wasmBinary: wasm('zxing-wasm/reader/zxing_reader.wasm') } })
    writer.prepareZXingModule({ overrides: { wasmBinary: wasm('zxing-wasm/writer/zxing_writer.wasm') } })
  })

  it('keeps a GS1-128 label as ]C1 and GS-separated elements, which the hub decodes with lot and expiry', async () => {
    const text = await roundTrip('(01)09506000134352(10)LOT-7A(17)271231', 'Code128', true)
    expect(text).toBe(']C1010950600013435210LOT-7A\x1d17271231')
    expect(decodeBarcode(text)).toEqual({ ok: true, value: { gtin: '09506000134352', lot: 'LOT-7A', expiry: '2027-12-31' } })
  })

  it('reads a GS1 DataMatrix as ]d2 and plain symbols as they are', async () => {
    expect(await roundTrip('(01)09506000134352(10)AB12', 'DataMatrix', true)).toBe(']d2010950600013435210AB12')
    expect(await roundTrip('4006381333931', 'EAN13')).toBe('4006381333931')
    expect(await roundTrip('{"format":"wh-device","v":1}', 'QRCode')).toBe('{"format":"wh-device","v":1}')
  })

  it('gives a BarcodeDetector GS1 value its symbology identifier, and leaves others alone', () => {
    expect(detectorText('code_128', '\x1d0109506000134352\x1d10AB')).toBe(']C10109506000134352\x1d10AB')
    expect(detectorText('data_matrix', '0109506000134352\x1d10AB')).toBe(']d20109506000134352\x1d10AB')
    expect(detectorText('code_128', 'A-01-03')).toBe('A-01-03')
    expect(detectorText('ean_13', '4006381333931')).toBe('4006381333931')
  })
})
