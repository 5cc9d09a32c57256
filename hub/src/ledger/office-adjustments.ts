import { setTimeout as sleep } from 'node:timers/promises'
import type { Pool } from 'mysql2/promise'
import type { Adjustment, AdjustmentRequest } from '@wh/shared'
import type { CatalogLookup } from '../catalog/catalog-lookup.ts'
import { HubError } from '../errors.ts'
import { partitionOf } from '../partition/partition-key.ts'
import type { PartitionInbox } from '../partition/partition-inbox.ts'
import type { PartitionQueues } from '../partition/partition-queues.ts'
import { adjustmentEvent } from './adjustment-event.ts'
import { settledAs, type Settled } from './adjustment-outcome.ts'

export interface AdjustmentDeps {
  pool: Pool
  catalog: Pick<CatalogLookup, 'product' | 'location'>
  inbox: Pick<PartitionInbox, 'pushTrusted'>
  queues: Pick<PartitionQueues, 'requestDrain'>
  partitions: number
  /**
   * How long a request waits for the drain to settle its adjustment before it answers `pending`.
   * @defaultValue 5000
   */
  waitMs?: number
}

/** The first looks come soon (a drain with an empty inbox applies at once), then back off. */
const POLL_MS = [10, 20, 40, 80, 160, 250]

/**
 * Office adjustments: a supervisor's change of stock goes into its product's partition inbox as a
 * trusted event (the way an import's opening stock goes), so the same drain, plan, lots, ledger
 * and after-commit publishing apply it as a scan, in order with that product's scans; the batch
 * that settles it writes its audit row with the person. The request waits for that outcome.
 *
 * Idempotent: the event id comes from the person and their id for the adjustment, so a retry
 * finds the first attempt's outcome (or, if still queued, queues it again: the plan takes an id
 * once). The same id with another adjustment is refused, queued or not.
 */
export function createOfficeAdjustments(deps: AdjustmentDeps) {
  const waitMs = deps.waitMs ?? 5000

  async function waitSettled(eventId: string): Promise<Settled> {
    const deadline = Date.now() + waitMs
    for (let look = 0; ; look++) {
      // Polled: the drain may run in another process, and the database is where its outcome is durable.
      const settled = await settledAs(deps.pool, eventId)
      if (settled.status !== 'pending' || Date.now() >= deadline) return settled
      await sleep(Math.min(POLL_MS[Math.min(look, POLL_MS.length - 1)]!, Math.max(0, deadline - Date.now())))
    }
  }

  return async function adjust(request: AdjustmentRequest, actor: string): Promise<Adjustment> {
    const item = await adjustmentEvent(deps.catalog, request, actor)
    const { eventId } = item.event
    let settled = await settledAs(deps.pool, eventId)
    if (settled.status === 'pending') {
      const pushed = await deps.inbox.pushTrusted([[partitionOf(item.productId, deps.partitions), JSON.stringify(item)]])
      await deps.queues.requestDrain(pushed.partitions)
      settled = await waitSettled(eventId)
    }
    // Another adjustment under this id settled first (this one, if queued, is then refused by the plan as a conflict).
    if (settled.hash !== null && settled.hash !== item.hash) throw new HubError('ADJUSTMENT_ID_REUSED', request.id)
    const { hash: _hash, ...outcome } = settled
    return {
      id: request.id,
      eventId,
      site: item.site,
      sku: item.sku,
      location: item.locationCode,
      kind: request.kind,
      qty: request.qty,
      lot: request.lot ?? null,
      reason: request.reason,
      actor,
      ...outcome,
    }
  }
}

export type OfficeAdjustments = ReturnType<typeof createOfficeAdjustments>
