/**
 * One result of `build` shared by every caller within `reuseMs` (and while it is being built):
 * when a thousand screens subscribe at once, the hub reads and encodes once, not a thousand times.
 */
export function reused<T>(reuseMs: number, build: () => Promise<T>, now = Date.now) {
  let entry: { at: number; value: Promise<T> } | undefined
  return {
    get({ fresh = false } = {}): Promise<T> {
      if (fresh || !entry || now() - entry.at > reuseMs) {
        const next = { at: now(), value: build() }
        next.value.catch(() => entry === next && (entry = undefined))
        entry = next
      }
      return entry.value
    },
    forget() {
      entry = undefined
    },
  }
}
