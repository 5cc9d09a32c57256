/**
 * Tells a keyboard-wedge scanner from a person typing. A handheld's built-in scanner "types" the
 * barcode into whatever has focus, a key every few milliseconds, then Enter; a person, even a
 * fast one, leaves far more than 35 ms between most keys. Hand-written: it is a few lines of
 * timing over key events, and no maintained package does it apart from a DOM.
 */
export interface WedgeOptions {
  /** The longest pause between two keys of one scan. @defaultValue 35 */
  gapMs?: number
  /** The fewest characters a scan has (shorter bursts are typing). @defaultValue 4 */
  minLength?: number
}

/** What one key turned out to be. */
export type WedgeStep =
  /** A character; `burstStart` when it follows a pause, so it may be the first of a scan. */
  | { kind: 'char'; burstStart: boolean }
  /** Enter closing a burst: the scanned text. */
  | { kind: 'scan'; text: string }
  /** Enter after typing (or alone): the field's own Enter. */
  | { kind: 'enter' }
  /** A key that types nothing (Shift, arrows): neither breaks nor extends a burst. */
  | { kind: 'other' }

export interface WedgeDetector {
  /** Feeds one key (a KeyboardEvent's `key`) pressed at `at` milliseconds. */
  key(key: string, at: number): WedgeStep
}

export function createWedgeDetector({ gapMs = 35, minLength = 4 }: WedgeOptions = {}): WedgeDetector {
  let burst = ''
  let last = -Infinity
  return {
    key(key, at) {
      const inBurst = at - last <= gapMs
      if (key === 'Enter') {
        const text = burst
        burst = ''
        last = -Infinity
        return inBurst && text.length >= minLength ? { kind: 'scan', text } : { kind: 'enter' }
      }
      // Printable keys have a one-character `key`; GS (FNC1 of a GS1 label) is one too.
      if ([...key].length !== 1) return { kind: 'other' }
      burst = inBurst ? burst + key : key
      last = at
      return { kind: 'char', burstStart: !inBurst }
    },
  }
}
