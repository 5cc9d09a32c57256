import { useEffect, useRef } from 'preact/hooks'
import QRCode from 'qrcode'

/**
 * `text` as a QR code a handheld's camera reads: drawn by the qrcode package on a canvas, with
 * the quiet zone the standard asks for and medium error correction (a smudged screen still reads).
 */
export function QrCode({ text, label }: { text: string; label: string }) {
  const canvas = useRef<HTMLCanvasElement>(null)
  useEffect(() => {
    if (canvas.current) void QRCode.toCanvas(canvas.current, text, { errorCorrectionLevel: 'M', margin: 4, scale: 5 })
  }, [text])
  return <canvas ref={canvas} role="img" aria-label={label} class="qr-code" />
}
