import { useEffect, useRef } from 'preact/hooks'
import { worstFeel, type Feel } from './feel.ts'
import { playTone } from './tones.ts'
import { vibrate } from './vibration.ts'

const FEELS: Record<string, Feel> = { applied: 'applied', duplicate: 'applied', held: 'held', rejected: 'rejected' }

/**
 * Sounds and buzzes once whenever outcomes settle: for scans that were queued (or new) and now
 * have the hub's answer. Outcomes already settled when the app opened stay quiet.
 */
export function useOutcomeFeedback(outcomes: readonly { eventId: string; status: string }[]): void {
  const seen = useRef<Map<string, string> | undefined>(undefined)
  useEffect(() => {
    const before = seen.current
    seen.current = new Map(outcomes.map((o) => [o.eventId, o.status]))
    if (!before) return
    const settled = outcomes.filter((o) => FEELS[o.status] && before.get(o.eventId) !== o.status).map((o) => FEELS[o.status]!)
    const feel = worstFeel(settled)
    if (!feel) return
    playTone(feel)
    vibrate(feel)
  }, [outcomes])
}
