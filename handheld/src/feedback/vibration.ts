import type { Feel } from './feel.ts'

/** Buzz patterns (ms on, off, on…) a gloved hand tells apart: a tick, two pulses, a long double buzz. */
const PATTERNS: Record<Feel, number[]> = {
  applied: [60],
  held: [150, 100, 150],
  rejected: [400, 120, 400],
}

export function vibrate(feel: Feel): void {
  // Absent on iOS and desks; refused (with a console error) until the page has been touched.
  if (navigator.userActivation?.hasBeenActive === false) return
  navigator.vibrate?.(PATTERNS[feel])
}
