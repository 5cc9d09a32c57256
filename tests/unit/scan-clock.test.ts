import { describe, expect, it } from 'vitest'
import { isScannedAtSkewed, SCAN_CLOCK_LIMITS } from '../../hub/src/ingest/scan-clock.ts'

describe('scan clock skew', () => {
  const now = Date.parse('2026-06-01T12:00:00Z')
  const at = (offset: number) => new Date(now + offset).toISOString()

  it('believes no time, a few minutes fast, and days-old scans from an outbox', () => {
    expect(isScannedAtSkewed(undefined, now)).toBe(false)
    expect(isScannedAtSkewed(at(SCAN_CLOCK_LIMITS.aheadMs - 1000), now)).toBe(false)
    expect(isScannedAtSkewed(at(-7 * 24 * 3_600_000), now)).toBe(false)
  })

  it('flags a clock too far ahead, months behind, or ten years either way', () => {
    expect(isScannedAtSkewed(at(SCAN_CLOCK_LIMITS.aheadMs + 1000), now)).toBe(true)
    expect(isScannedAtSkewed(at(-SCAN_CLOCK_LIMITS.behindMs - 1000), now)).toBe(true)
    expect(isScannedAtSkewed('2036-06-01T12:00:00Z', now)).toBe(true)
    expect(isScannedAtSkewed('2016-06-01T12:00:00Z', now)).toBe(true)
  })
})
