import { useEffect, useRef, useState } from 'preact/hooks'
import { createFrameReader } from './frame-reader.ts'

const FRAME_MS = 120

/** Why the camera did not open, in words a picker can act on. */
function cameraProblem(err: unknown): string {
  if (!navigator.mediaDevices) return 'The camera needs a secure page (HTTPS). Ask for the hub’s https:// address.'
  const name = err instanceof DOMException ? err.name : ''
  if (name === 'NotAllowedError') return 'The camera is blocked. Allow it for this page in the browser’s settings.'
  if (name === 'NotFoundError') return 'This device has no camera.'
  return `The camera did not start: ${String(err)}`
}

/**
 * The camera as a scanner: the back camera's video, read a few times a second until a barcode
 * is found, which goes to `onScan` (once). Closes, and lets the camera go, when unmounted.
 */
export function CameraDialog({ title, onScan, onClose }: { title: string; onScan: (text: string) => void; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null)
  const video = useRef<HTMLVideoElement>(null)
  const [problem, setProblem] = useState('')
  useEffect(() => {
    dialog.current?.showModal()
    let stopped = false
    let stream: MediaStream | undefined
    let timer = 0
    const run = async () => {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false })
      if (stopped) return
      const view = video.current!
      view.srcObject = stream
      await view.play()
      const read = await createFrameReader()
      const tick = async () => {
        const text = await read(view).catch(() => undefined)
        if (stopped) return
        if (!text) return void (timer = window.setTimeout(() => void tick(), FRAME_MS))
        stopped = true
        onScan(text)
      }
      await tick()
    }
    run().catch((err: unknown) => setProblem(cameraProblem(err)))
    return () => {
      stopped = true
      window.clearTimeout(timer)
      stream?.getTracks().forEach((track) => track.stop())
    }
  }, [])
  return (
    <dialog ref={dialog} class="camera" aria-labelledby="camera-title" onCancel={onClose}>
      <article>
        <h2 id="camera-title">{title}</h2>
        <video ref={video} muted playsInline aria-label="Camera view" />
        {problem ? (
          <p role="alert" class="problem">
            {problem}
          </p>
        ) : (
          <p aria-live="polite">Hold the barcode in view.</p>
        )}
        <button type="button" class="secondary" id="camera-close" onClick={onClose}>
          Close camera
        </button>
      </article>
    </dialog>
  )
}
