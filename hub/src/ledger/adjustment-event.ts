import { v5 as uuidv5 } from 'uuid'
import type { AdjustmentRequest, ScanEvent } from '@wh/shared'
import { payloadHash } from '../acks/payload-hash.ts'
import type { CatalogLookup } from '../catalog/catalog-lookup.ts'
import { HubError } from '../errors.ts'
import type { QueuedEvent } from '../partition/queued-event.ts'

/** The namespace of office adjustment event ids (UUIDv5): fixed, so an id depends on the person and their id alone. */
const EVENT_NAMESPACE = '3c1f9b7e-52a4-4d0e-9f6b-8e2d7a4c1b05'
/** What the ledger and the held events name as the "device" of an office adjustment's event. */
const OFFICE_DEVICE = 'office'

/**
 * The event id of a person's adjustment: each person's ids are their own, so a retry finds the
 * first attempt, and nobody can answer for (or collide with) another's adjustment.
 */
export const adjustmentEventId = (actor: string, id: string) => uuidv5(`${actor}\n${id}`, EVENT_NAMESPACE)

/** True when `day` (YYYY-MM-DD) is a day of the calendar, not 2027-02-30. */
const isCalendarDay = (day: string) => {
  const at = new Date(`${day}T00:00:00Z`)
  return !Number.isNaN(at.getTime()) && at.toISOString().startsWith(day)
}

/**
 * The office adjustment as the event the partitions apply, like a scan's: a `set` is a count (the
 * location then holds `qty`), a `change` an adjust (a signed difference), through the lot named.
 * Refuses what cannot be applied as asked before anything is queued: an unknown or deactivated
 * product or location, a negative count or a zero change, an expiry that is no date.
 */
export async function adjustmentEvent(
  catalog: Pick<CatalogLookup, 'product' | 'location'>,
  request: AdjustmentRequest,
  actor: string,
): Promise<QueuedEvent> {
  const { site, sku, location, kind, qty, lot, expiry, reason } = request
  if (kind === 'set' ? qty < 0 : qty === 0) throw new HubError('ADJUSTMENT_QTY', `${kind} ${qty}`)
  if (expiry !== undefined && !isCalendarDay(expiry)) throw new HubError('EXPIRY_INVALID', expiry)
  const [product, at] = await Promise.all([catalog.product({ sku }), catalog.location(site, location)])
  if (!product) throw new HubError('PRODUCT_NOT_FOUND', sku)
  if (!product.active) throw new HubError('PRODUCT_INACTIVE', sku)
  if (!at) throw new HubError('LOCATION_NOT_FOUND', `${location} at ${site}`)
  if (!at.active) throw new HubError('LOCATION_INACTIVE', `${location} at ${site}`)

  const event: ScanEvent = {
    eventId: adjustmentEventId(actor, request.id),
    deviceId: OFFICE_DEVICE,
    // Not sequenced: the device sequencer never sees a trusted event.
    deviceSeq: 1,
    type: kind === 'set' ? 'count' : 'adjust',
    barcode: product.sku,
    location: at.code,
    qty,
    ...(lot !== undefined ? { lot } : {}),
    ...(expiry !== undefined ? { expiry } : {}),
    reason,
  }
  return {
    event,
    site,
    hash: payloadHash(event),
    productId: product.id,
    sku: product.sku,
    locationId: at.id,
    locationCode: at.code,
    qty,
    ...(lot !== undefined ? { lot } : {}),
    ...(expiry !== undefined ? { expiry } : {}),
    origin: 'office',
    actor,
  }
}
