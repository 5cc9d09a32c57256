/**
 * Why stock is adjusted on the floor, sent as the adjustment's `reason` (free text to the hub,
 * kept in the ledger and audit log). These are the usual causes; the hub's own reason codes
 * (shared/src/reason-codes.ts) are why it refuses a scan, not why stock changed.
 */
export const ADJUST_REASONS = ['Damaged', 'Expired', 'Found', 'Missing', 'Quality hold released', 'Sample taken', 'Correction'] as const
