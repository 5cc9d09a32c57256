import { detectorText } from './barcode-text.ts'

/** Reads one frame of the camera's video: the barcode's text, or undefined. */
export type FrameReader = (video: HTMLVideoElement) => Promise<string | undefined>

const FORMATS = ['qr_code', 'code_128', 'ean_13', 'data_matrix']

interface DetectedBarcode {
  format: string
  rawValue: string
}
interface BarcodeDetectorLike {
  detect(source: CanvasImageSource): Promise<DetectedBarcode[]>
}
interface BarcodeDetectorClass {
  new (options: { formats: string[] }): BarcodeDetectorLike
  getSupportedFormats(): Promise<string[]>
}

/**
 * The browser's own BarcodeDetector where it reads all our formats (Android's Chrome: fast, no
 * download), else zxing-wasm, loaded only when a camera is first opened.
 */
export async function createFrameReader(): Promise<FrameReader> {
  const Detector = (globalThis as { BarcodeDetector?: BarcodeDetectorClass }).BarcodeDetector
  const supported = Detector ? await Detector.getSupportedFormats().catch(() => []) : []
  if (Detector && FORMATS.every((f) => supported.includes(f))) {
    const detector = new Detector({ formats: FORMATS })
    return async (video) => {
      const [found] = await detector.detect(video)
      return found && detectorText(found.format, found.rawValue)
    }
  }
  const { readFrame } = await import('./zxing-reader.ts')
  const canvas = document.createElement('canvas')
  const context = canvas.getContext('2d', { willReadFrequently: true })!
  return async (video) => {
    if (!video.videoWidth) return undefined
    canvas.width = video.videoWidth
    canvas.height = video.videoHeight
    context.drawImage(video, 0, 0)
    return readFrame(context.getImageData(0, 0, canvas.width, canvas.height))
  }
}
