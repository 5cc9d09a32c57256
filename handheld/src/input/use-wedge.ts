import { useEffect, useRef } from 'preact/hooks'
import { createWedgeDetector } from './wedge.ts'

type ValueField = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement

const isValueField = (target: EventTarget | null): target is ValueField =>
  target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement

/**
 * Hands each keyboard-wedge scan to `onScan`, wherever the focus is. What the scan typed into a
 * field before its Enter told it apart from typing is taken back out of that field (and the
 * field's listeners told), and its Enter does not submit or click anything.
 */
export function useWedge(onScan: (text: string) => void): void {
  const latest = useRef(onScan)
  latest.current = onScan
  useEffect(() => {
    const detector = createWedgeDetector()
    let before: { field: ValueField; value: string } | undefined
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.altKey || event.metaKey || event.isComposing) return
      // The event's own time: when the key came, even if the page was busy meanwhile.
      const step = detector.key(event.key, event.timeStamp)
      if (step.kind === 'char' && step.burstStart)
        before = isValueField(event.target) ? { field: event.target, value: event.target.value } : undefined
      if (step.kind !== 'scan') return
      event.preventDefault()
      event.stopPropagation()
      if (before && before.field.value !== before.value) {
        before.field.value = before.value
        before.field.dispatchEvent(new Event(before.field instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }))
      }
      before = undefined
      latest.current(step.text)
    }
    window.addEventListener('keydown', onKey, { capture: true })
    return () => window.removeEventListener('keydown', onKey, { capture: true })
  }, [])
}
