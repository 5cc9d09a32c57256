/**
 * How far a scan's own time may be from the hub's before it is flagged. Ahead: a device clock a
 * few minutes fast is common, beyond that it is wrong. Behind: a handheld's outbox keeps what was
 * scanned offline, so days-old scans are normal; months are not.
 */
export const SCAN_CLOCK_LIMITS = { aheadMs: 5 * 60_000, behindMs: 30 * 24 * 3_600_000 }

/**
 * Whether a scan's `scannedAt` is too far from the hub's clock to be believed. The hub never
 * orders by it (arrival and deviceSeq do); a skewed one is stored as sent, flagged in the ack
 * (`warning: SCANNED_AT_SKEWED`) and logged, so the device's clock gets fixed.
 */
export function isScannedAtSkewed(scannedAt: string | undefined, now: number): boolean {
  if (scannedAt === undefined) return false
  const at = Date.parse(scannedAt)
  if (Number.isNaN(at)) return true
  return at - now > SCAN_CLOCK_LIMITS.aheadMs || now - at > SCAN_CLOCK_LIMITS.behindMs
}
