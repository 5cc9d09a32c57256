import { v5 as uuidv5 } from 'uuid'
import type { ScanEvent } from '@wh/shared'
import { payloadHash } from '../acks/payload-hash.ts'
import { partitionOf } from '../partition/partition-key.ts'
import type { QueuedEvent } from '../partition/queued-event.ts'
import type { PartitionInbox } from '../partition/partition-inbox.ts'
import type { PartitionQueues } from '../partition/partition-queues.ts'
import { levelKey } from '../stock/stock-level.ts'
import { locationKey, type KnownCatalog } from './known-catalog.ts'
import type { ImportRecords } from './row-check.ts'

/** The namespace of opening stock event ids (UUIDv5): fixed, so an id depends on the import and the row alone. */
const EVENT_NAMESPACE = '5b0e8c1e-3f8a-4f57-9a35-0c6f3f1d9a21'
/** Events per push: one Lua call of a few megabytes. */
const PUSH_CHUNK = 5000
/** Most of the import's events waiting in the inboxes at once, so Redis holds a window of the file, not all of it. */
const BACKLOG_MAX = 100_000

/** The reason of an import's movements (and of its held rows' events): it names the import. */
export const openingStockReason = (importId: string) => `opening stock, import ${importId}`

/** Per partition: the position of the import's last event there, and how many of its events went there. */
export type Positions = Record<number, [end: number, count: number]>

/**
 * An import's opening stock as count events, one per row, with an id that is a function of the
 * import and the row (site, location, SKU, lot), so the same file applied again gives the same ids
 * and the ledger takes each once. The rows of one level are counted lot by lot, each count the
 * level's running total in file order: on an empty location each lot receives its own row's
 * quantity, and the level ends at the file's total for it.
 */
export function* openingStockEvents(
  importId: string,
  rows: { line: number; record: ImportRecords['stock'] }[],
  known: KnownCatalog,
): Generator<QueuedEvent> {
  const running = new Map<string, number>()
  for (const { line, record: r } of rows) {
    const productId = known.products.get(r.sku)!.id
    const locationId = known.locations.get(locationKey(r.site, r.location))!.id
    const key = levelKey(productId, locationId)
    const qty = (running.get(key) ?? 0) + r.qty
    running.set(key, qty)
    const event: ScanEvent = {
      eventId: uuidv5([importId, r.site, r.location, r.sku, r.lot ?? ''].join('|'), EVENT_NAMESPACE),
      deviceId: 'import',
      deviceSeq: line,
      type: 'count',
      barcode: r.sku,
      location: r.location,
      qty,
      ...(r.lot ? { lot: r.lot } : {}),
      ...(r.expiry ? { expiry: r.expiry } : {}),
      reason: openingStockReason(importId),
    }
    yield {
      event,
      site: r.site,
      hash: payloadHash(event),
      productId,
      sku: r.sku,
      locationId,
      locationCode: r.location,
      qty,
      ...(r.lot ? { lot: r.lot } : {}),
      ...(r.expiry ? { expiry: r.expiry } : {}),
      origin: 'import',
    }
  }
}

export interface StockQueue {
  inbox: PartitionInbox
  queues: Pick<PartitionQueues, 'requestDrain'>
  partitions: number
}

/** How many of an import's events the drains have applied, and whether all are: from the inboxes' trimmed counts. */
export async function stockProgress(inbox: PartitionInbox, positions: Positions) {
  const parts = Object.keys(positions).map(Number)
  const through = await inbox.through(parts)
  let applied = 0
  let lost = false
  for (const p of parts) {
    const [end, count] = positions[p]!
    const { trimmed, pushed } = through.get(p)!
    applied += Math.min(count, Math.max(0, count - (end - trimmed)))
    // Fewer items than were given out: Redis lost the inbox (apply the file again; its ids make that safe).
    if (pushed < end) lost = true
  }
  const total = Object.values(positions).reduce((n, [, count]) => n + count, 0)
  return { applied, total, done: applied === total, lost }
}

/**
 * Pushes the events into their partitions' inboxes in file order, in bulk, keeping at most
 * BACKLOG_MAX of them waiting, and asks for the drains. The events are made chunk by chunk, while
 * the drains apply the chunks before. Returns where they stand.
 */
export async function enqueueStock(
  { inbox, queues, partitions }: StockQueue,
  events: Iterable<QueuedEvent>,
  onPushed?: (n: number) => void,
) {
  const positions: Positions = {}
  let pushedSoFar = 0
  const pending = events[Symbol.iterator]()
  for (;;) {
    const chunk: [number, string][] = []
    for (let next = pending.next(); !next.done; next = pending.next()) {
      chunk.push([partitionOf(next.value.productId, partitions), JSON.stringify(next.value)])
      if (chunk.length === PUSH_CHUNK) break
    }
    if (chunk.length === 0) return positions
    while (pushedSoFar > BACKLOG_MAX && pushedSoFar - (await stockProgress(inbox, positions)).applied > BACKLOG_MAX)
      await new Promise((r) => setTimeout(r, 50))
    const pushed = await inbox.pushTrusted(chunk)
    for (const [p] of chunk) (positions[p] ??= [0, 0])[1]++
    for (const [p, end] of pushed.positions) positions[p]![0] = end
    await queues.requestDrain(pushed.partitions)
    pushedSoFar += chunk.length
    onPushed?.(pushedSoFar)
  }
}
