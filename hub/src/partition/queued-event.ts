import type { ScanEvent } from '@wh/shared'

/**
 * An event admitted by ingest, with everything the worker needs already resolved: the product,
 * the locations at the device's site, the quantity (payload or GS1 AI 37) and the payload hash.
 */
export interface QueuedEvent {
  event: ScanEvent
  site: string
  hash: string
  productId: number
  sku: string
  locationId: number
  locationCode: string
  toLocationId?: number
  toLocationCode?: string
  qty: number
  lot?: string
  expiry?: string
  poNumber?: string
  /** When ingest admitted it (ms since the epoch), for the ingest-to-commit latency. */
  receivedAt?: number
  /** The scan's own time is far from the hub's clock (ingest/scan-clock.ts): the ack says so. */
  clockSkewed?: true
  /**
   * Not a device's scan but a trusted event: an import's opening stock, or a supervisor's office
   * adjustment (its reason in `event.reason`). It has no device to ack or sequence, and the ledger
   * says what triggered it.
   */
  origin?: 'import' | 'office'
  /** Who made an office adjustment: audited with its outcome, in the batch that settles it. */
  actor?: string
  /** Set when an admin approves the event after it was held: who, and why. */
  approval?: { actor: string; reason: string }
}
