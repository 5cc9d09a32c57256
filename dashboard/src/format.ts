/** "12 s ago", "5 min ago", "3 h ago"; "never" for a missing time. */
export function ago(iso: string | null, now = Date.now()): string {
  if (!iso) return 'never'
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000))
  if (s < 60) return `${s} s ago`
  if (s < 3600) return `${Math.floor(s / 60)} min ago`
  return `${Math.floor(s / 3600)} h ago`
}

export const clockTime = (iso: string) => new Date(iso).toLocaleTimeString(undefined, { hour12: false })

/** A small element with text and an optional class, for list and tile markup. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, text: string, className?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag)
  node.textContent = text
  if (className) node.className = className
  return node
}
