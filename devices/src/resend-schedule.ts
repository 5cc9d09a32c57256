/**
 * When each unacknowledged event is due to be sent again: after the ack timeout, then doubling up
 * to a ceiling, with ±20% jitter so a fleet that lost the hub together does not resend in step.
 */
export function createResendSchedule(ackTimeoutMs: number, maxBackoffMs: number, random: () => number = Math.random) {
  const state = new Map<string, { attempts: number; dueAt: number }>()
  return {
    sent(eventId: string, now: number) {
      const s = state.get(eventId) ?? { attempts: 0, dueAt: 0 }
      s.attempts++
      s.dueAt = now + Math.min(ackTimeoutMs * 2 ** (s.attempts - 1), maxBackoffMs) * (0.8 + 0.4 * random())
      state.set(eventId, s)
    },
    /** An event never sent (scanned offline) is due at once. */
    isDue: (eventId: string, now: number) => now >= (state.get(eventId)?.dueAt ?? 0),
    attempts: (eventId: string) => state.get(eventId)?.attempts ?? 0,
    forget: (eventId: string) => void state.delete(eventId),
    /** After a reconnect everything unacknowledged goes again at once; the backoff level is kept. */
    reset() {
      for (const s of state.values()) s.dueAt = 0
    },
  }
}
