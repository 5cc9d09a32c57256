import type { Feel } from './feel.ts'

// Hand-written: a WebAudio beep is an oscillator and a gain envelope; no library is needed.

/** Each feel as notes: one short high beep, two middle ones, one long low buzz. */
const NOTES: Record<Feel, { hz: number; ms: number; wave: OscillatorType }[]> = {
  applied: [{ hz: 1480, ms: 90, wave: 'sine' }],
  held: [
    { hz: 740, ms: 130, wave: 'triangle' },
    { hz: 740, ms: 130, wave: 'triangle' },
  ],
  rejected: [{ hz: 196, ms: 450, wave: 'square' }],
}
const GAP_MS = 70

let context: AudioContext | undefined

/**
 * Browsers start audio suspended until a person touches the page; the first tap or key (a
 * wedge scan is keys) resumes it, so later outcomes, which arrive without a gesture, can sound.
 */
export function unlockAudioOnGesture(): void {
  const unlock = () => {
    context ??= new AudioContext()
    void context.resume()
  }
  for (const type of ['pointerdown', 'keydown'] as const) window.addEventListener(type, unlock, { capture: true, passive: true })
}

export function playTone(feel: Feel): void {
  if (!context || context.state !== 'running') return
  let at = context.currentTime
  for (const note of NOTES[feel]) {
    const osc = context.createOscillator()
    const gain = context.createGain()
    osc.type = note.wave
    osc.frequency.value = note.hz
    const end = at + note.ms / 1000
    // A short fade in and out: a hard edge clicks.
    gain.gain.setValueAtTime(0, at)
    gain.gain.linearRampToValueAtTime(0.3, at + 0.01)
    gain.gain.setValueAtTime(0.3, end - 0.02)
    gain.gain.linearRampToValueAtTime(0, end)
    osc.connect(gain).connect(context.destination)
    osc.start(at)
    osc.stop(end)
    at = end + GAP_MS / 1000
  }
}
