import { useEffect, useRef } from 'preact/hooks'

/**
 * The scan field: focused on every workflow screen, so a scanner (or a person) types into it;
 * Enter sends what was typed. Scans from a wedge scanner are taken wherever the focus is
 * (input/use-wedge.ts) and never reach here.
 */
export function ScanField({ label, onScan, focusKey }: { label: string; onScan: (text: string) => void; focusKey: unknown }) {
  const input = useRef<HTMLInputElement>(null)
  // Back to the scan field after each step, unless the person is in another field on purpose.
  useEffect(() => {
    const active = document.activeElement
    if (!active || active === document.body || active.tagName === 'BUTTON') input.current?.focus()
  }, [focusKey])
  const submit = (event: Event) => {
    event.preventDefault()
    const text = input.current!.value.trim()
    input.current!.value = ''
    input.current!.focus()
    if (text) onScan(text)
  }
  return (
    <form class="scan-field" onSubmit={submit} aria-label="Scan">
      <label for="scan-input">{label}</label>
      <div class="scan-row">
        <input
          id="scan-input"
          ref={input}
          autoFocus
          autoComplete="off"
          autoCapitalize="off"
          spellcheck={false}
          enterKeyHint="enter"
          placeholder="Scan or type"
        />
        <button type="submit" id="scan-enter">
          Enter
        </button>
      </div>
    </form>
  )
}
