import { describe, expect, it } from 'vitest'
import { createResendSchedule } from '../../devices/src/resend-schedule.ts'

describe('createResendSchedule', () => {
  it('makes an unsent event due at once, then doubles the wait up to the ceiling', () => {
    const schedule = createResendSchedule(1000, 5000, () => 0.5)
    expect(schedule.isDue('e', 0)).toBe(true)
    const waits: number[] = []
    let now = 0
    for (let i = 0; i < 5; i++) {
      schedule.sent('e', now)
      let wait = 0
      while (!schedule.isDue('e', now + wait)) wait += 100
      waits.push(wait)
      now += wait
    }
    expect(waits).toEqual([1000, 2000, 4000, 5000, 5000])
    expect(schedule.attempts('e')).toBe(5)
  })

  it('spreads resends by ±20% so a fleet does not resend in step', () => {
    const low = createResendSchedule(1000, 60_000, () => 0)
    const high = createResendSchedule(1000, 60_000, () => 0.999)
    low.sent('e', 0)
    high.sent('e', 0)
    expect(low.isDue('e', 800)).toBe(true)
    expect(high.isDue('e', 1190)).toBe(false)
    expect(high.isDue('e', 1200)).toBe(true)
  })

  it('makes everything due after a reconnect but keeps the backoff level', () => {
    const schedule = createResendSchedule(1000, 60_000, () => 0.5)
    schedule.sent('e', 0)
    schedule.sent('e', 1000)
    schedule.reset()
    expect(schedule.isDue('e', 1001)).toBe(true)
    schedule.sent('e', 1001)
    expect(schedule.isDue('e', 1001 + 3999)).toBe(false)
    schedule.forget('e')
    expect(schedule.attempts('e')).toBe(0)
  })
})
