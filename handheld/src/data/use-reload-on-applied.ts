import { useEffect, useRef } from 'preact/hooks'
import { useFloor } from '../session/floor-context.ts'

/** Reloads a list (what remains on a PO or an order) whenever one of this device's scans is applied. */
export function useReloadOnApplied(reload: () => void): void {
  const { outcomes } = useFloor().state
  const applied = outcomes.filter((o) => o.status === 'applied')
  const first = useRef(true)
  useEffect(() => {
    if (first.current) return void (first.current = false)
    reload()
    // The count alone stalls once the list is full (it keeps the last 50); the newest one does not.
  }, [applied.length, applied[0]?.eventId])
}
