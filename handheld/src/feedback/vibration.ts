import type { Feel } from './feel.ts'

/** Buzz patterns (ms on, off, on…) a gloved hand tells apart: a tick, two pulses, a long double buzz. */
const PATTERNS: Record<Feel, number[]> = {
  applied: [60],
  held: [150, 100, 150],
  rejected: [400, 120, 400],
}

export function vibrate(feel: Feel): void {
  // Absent on iOS and desks; a no-op there.
  navigator.vibrate?.(PATTERNS[feel])
}
