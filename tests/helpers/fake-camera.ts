import { writeFile } from 'node:fs/promises'
import bwipjs from 'bwip-js'
import { PNG } from 'pngjs'

/** A GS1-128 label's elements: (01) GTIN-14, (17) expiry as YYYY-MM-DD, (10) lot. */
export interface Gs1Label {
  gtin: string
  expiry: string
  lot: string
}

/** The label's element string in human-readable form, as printed under its bars. */
export const gs1Text = (label: Gs1Label) => `(01)${label.gtin}(17)${label.expiry.slice(2).replaceAll('-', '')}(10)${label.lot}`

/** A GS1-128 barcode of the label, as a PNG, bars 3 px per module as a printed label seen close up. */
export function gs1LabelPng(label: Gs1Label): Promise<Buffer> {
  return bwipjs.toBuffer({ bcid: 'gs1-128', text: gs1Text(label), scale: 3, height: 20, includetext: true, paddingwidth: 10 })
}

/** A QR code of `text`, as a PNG. */
export function qrCodePng(text: string): Promise<Buffer> {
  return bwipjs.toBuffer({ bcid: 'qrcode', text, scale: 4, paddingwidth: 4, paddingheight: 4 })
}

/** Nothing but white paper: a camera pointed at no code. */
export function blankPng(): Buffer {
  const png = new PNG({ width: 8, height: 8 })
  png.data.fill(255)
  return PNG.sync.write(png)
}

/** The frame a fake camera films: large enough for a decoder to find the code, small enough to read fast. */
const FRAME = { width: 1280, height: 720 }

/**
 * Writes a video file Chromium's fake camera plays in a loop (`fakeCameraArgs`): the picture,
 * scaled up by whole pixels to fill at most 80% of the frame, centred on white.
 *
 * Hand-written Y4M: Chromium's fake capture reads only Y4M or MJPEG files, and no maintained
 * package writes Y4M from pixels. Y4M is a text header, then per frame "FRAME\n" and the planes
 * of 4:2:0 YCbCr (full range, as `C420jpeg` says).
 */
export async function writeFakeVideo(png: Buffer, file: string, frames = 2): Promise<string> {
  const picture = PNG.sync.read(png)
  const { width, height } = FRAME
  const scale = Math.max(1, Math.floor(Math.min((width * 0.8) / picture.width, (height * 0.8) / picture.height)))
  if (picture.width * scale > width || picture.height * scale > height) {
    throw new Error(`picture ${picture.width}x${picture.height} does not fit a ${width}x${height} frame`)
  }
  const left = Math.floor((width - picture.width * scale) / 2)
  const top = Math.floor((height - picture.height * scale) / 2)
  const luma = Buffer.alloc(width * height, 255)
  for (let y = 0; y < picture.height * scale; y++) {
    for (let x = 0; x < picture.width * scale; x++) {
      const i = (Math.floor(y / scale) * picture.width + Math.floor(x / scale)) * 4
      // Transparent pixels are the white of the label's paper.
      const alpha = picture.data[i + 3]! / 255
      const [r, g, b] = [0, 1, 2].map((c) => picture.data[i + c]! * alpha + 255 * (1 - alpha)) as [number, number, number]
      luma[(top + y) * width + left + x] = Math.round(0.299 * r + 0.587 * g + 0.114 * b)
    }
  }
  // The codes are black on white: no colour, so both chroma planes are neutral.
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128)
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma])
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`)
  await writeFile(file, Buffer.concat([header, ...Array<Buffer>(frames).fill(frame)]))
  return file
}

/** Chromium's switches that make its camera play `videoFile` and grant it without asking. */
export const fakeCameraArgs = (videoFile: string) => [
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  `--use-file-for-fake-video-capture=${videoFile}`,
]
