/** A signed quantity as people read a change: +10, −3 (a real minus sign), 0. */
export const signed = (n: number) => (n > 0 ? `+${n}` : n < 0 ? `−${-n}` : '0')

/** A lot code as shown: stock received without one is in the unnamed lot. */
export const lotName = (code: string | null) => (code ? code : code === '' ? '(no lot)' : '—')

/** What an `<input type="datetime-local">` holds (local time) as an instant, or null when empty or not a time. */
export function instantOf(local: string): string | null {
  const at = new Date(local)
  return local && !Number.isNaN(at.getTime()) ? at.toISOString() : null
}
