import type { Log } from '../../log.ts'
import { verifyEventSignature } from '@wh/shared/signing'
import {
  EventIdSchema,
  ReasonCodes,
  ScanEventSchema,
  createValidator,
  decodeBarcode,
  type Ack,
  type DeviceTopic,
  type ReasonCode,
  type ScanEvent,
  type Topics,
} from '@wh/shared'
import type { CatalogLookup, DeviceRef } from '../../catalog/catalog-lookup.ts'
import type { FloorFeed } from '../../live/floor-feed.ts'
import type { AckPublisher } from '../../acks/ack-publisher.ts'
import type { Outcome } from '../../acks/outcome-store.ts'
import { payloadHash } from '../../acks/payload-hash.ts'
import type { SequencerEntry } from '../../sequence/device-sequencer.ts'
import { partitionOf } from '../../partition/partition-key.ts'
import type { QueuedEvent } from '../../partition/queued-event.ts'
import { isScannedAtSkewed } from '../scan-clock.ts'
import { packUnits, resolveQuantity } from '../scan-quantity.ts'

export interface ScanHandlerDeps {
  catalog: CatalogLookup
  /** The recorded outcome of a finished event (batched per tick by the caller). */
  knownOutcome: (eventId: string) => Promise<Outcome | undefined>
  /** Hands an event to the device sequencer (batched per tick; drains are requested there). */
  admit: (entry: SequencerEntry) => Promise<unknown>
  acks: AckPublisher
  feed: Pick<FloorFeed, 'activity'>
  log: Log
  /** For naming the topic of a refused event in the log. */
  topics: Topics
  partitions: number
  maxPayloadBytes: number
}

const checkEvent = createValidator(ScanEventSchema)
const checkEventId = createValidator(EventIdSchema)

/** A parsed payload's members, none of them checked yet. */
type EventFields = Partial<Record<keyof ScanEvent, unknown>>

class Rejection {
  constructor(
    readonly code: ReasonCode,
    readonly detail: string,
  ) {}
}

/**
 * Ingest of one scan event: everything that can be decided without the stock levels is decided
 * here (schema, device, barcode, catalog, known outcome), and the rest is admitted, in device
 * order, to the product's partition inbox.
 */
export function createScanHandler(deps: ScanHandlerDeps) {
  const { catalog, acks, log } = deps

  /** `eventType` only labels the metrics: the payload's claim, checked or not. */
  const reject = (topic: DeviceTopic, eventId: string | null, r: Rejection, deviceSeq?: number, eventType?: unknown) => {
    const ack: Ack = { eventId, status: 'rejected', code: r.code, message: `${ReasonCodes[r.code]}: ${r.detail}` }
    if (deviceSeq !== undefined) ack.deviceSeq = deviceSeq
    log.info({ deviceId: topic.deviceId, eventId, code: r.code, detail: r.detail }, 'event rejected')
    acks.publish(topic, ack, eventType)
    deps.feed.activity([
      { at: new Date().toISOString(), site: topic.site, deviceId: topic.deviceId, eventId, status: 'rejected', code: r.code },
    ])
  }

  /**
   * Why this message cannot be trusted to come from the topic's device, if it cannot: the device
   * must be registered, enabled and of the topic's site, the payload must name it, and the payload
   * must carry its signature (which covers the eventId, so an old signature on a new id fails).
   */
  const deviceRejection = (topic: DeviceTopic, device: DeviceRef | undefined, fields: EventFields) => {
    if (!device) return new Rejection('UNKNOWN_DEVICE', topic.deviceId)
    if (!device.enabled) return new Rejection('DEVICE_DISABLED', topic.deviceId)
    if (device.site !== topic.site) return new Rejection('WRONG_SITE', `device belongs to ${device.site}`)
    if (fields.deviceId !== topic.deviceId)
      return new Rejection('DEVICE_MISMATCH', `payload ${String(fields.deviceId)}, topic ${topic.deviceId}`)
    if (device.secret === null) return new Rejection('BAD_SIGNATURE', device.secretProblem ?? 'the device has no signing secret')
    if (fields.signature === undefined) return new Rejection('BAD_SIGNATURE', 'the event is not signed')
    if (!verifyEventSignature(fields, device.secret)) return new Rejection('BAD_SIGNATURE', "the signature is not the device's")
    return undefined
  }

  /**
   * A message not shown to come from the topic's device: logged as a warning and answered without
   * its eventId, so that a forger cannot settle (and so make the device drop) one of the device's
   * real events; nothing is settled in the device's sequence either. `shown` is what the device
   * is told, `why` the trust failure that is logged.
   */
  const refuse = (topic: DeviceTopic, fields: EventFields, claimedEventId: string | null, why: Rejection, shown = why) => {
    const topicName = deps.topics.events(topic.site, topic.deviceId)
    log.warn({ deviceId: topic.deviceId, eventId: claimedEventId, topic: topicName, code: why.code, detail: why.detail }, 'event refused')
    acks.publish(
      topic,
      { eventId: null, status: 'rejected', code: shown.code, message: `${ReasonCodes[shown.code]}: ${shown.detail}` },
      fields.type,
    )
    deps.feed.activity([
      { at: new Date().toISOString(), site: topic.site, deviceId: topic.deviceId, eventId: null, status: 'rejected', code: shown.code },
    ])
  }

  /** Rejected at ingest, yet settled in device order: its successors must not wait for it. */
  const settleRejected = async (topic: DeviceTopic, eventId: string | null, deviceSeq: number, r: Rejection, eventType?: unknown) => {
    await deps.admit({ deviceId: topic.deviceId, deviceSeq, partition: null, item: '' })
    reject(topic, eventId, r, deviceSeq, eventType)
  }

  /** Checks that need no stock: returns the event ready for its partition, or why it is refused. */
  async function resolve(topic: DeviceTopic, event: ScanEvent): Promise<QueuedEvent | Rejection> {
    const decoded = decodeBarcode(event.barcode)
    if (!decoded.ok) return new Rejection('BAD_BARCODE', `${decoded.code}: ${decoded.message}`)
    const qty = resolveQuantity(event, decoded.value.qty)
    if (typeof qty === 'object') return new Rejection(qty.code, qty.detail)
    const product = await catalog.product(decoded.value)
    if (!product) return new Rejection('UNKNOWN_BARCODE', event.barcode)
    if (!product.active) return new Rejection('PRODUCT_INACTIVE', product.sku)
    const location = await catalog.location(topic.site, event.location)
    if (!location) return new Rejection('UNKNOWN_LOCATION', event.location)
    if (!location.active) return new Rejection('LOCATION_INACTIVE', event.location)
    const units = packUnits(qty, product.packQty)
    if (typeof units === 'object') return new Rejection(units.code, units.detail)
    const item: QueuedEvent = {
      event,
      site: topic.site,
      hash: payloadHash(event),
      productId: product.id,
      sku: product.sku,
      locationId: location.id,
      locationCode: location.code,
      qty: units,
      receivedAt: Date.now(),
    }
    if (event.type === 'move') {
      if (!event.toLocation || event.toLocation === event.location)
        return new Rejection('INVALID_EVENT', 'a move needs a different toLocation')
      const to = await catalog.location(topic.site, event.toLocation)
      if (!to) return new Rejection('UNKNOWN_LOCATION', event.toLocation)
      if (!to.active) return new Rejection('LOCATION_INACTIVE', event.toLocation)
      item.toLocationId = to.id
      item.toLocationCode = to.code
    }
    const lot = event.lot ?? decoded.value.lot
    const expiry = event.expiry ?? decoded.value.expiry
    const poNumber = event.poNumber ?? decoded.value.poNumber
    if (lot) item.lot = lot
    if (expiry) item.expiry = expiry
    if (poNumber) item.poNumber = poNumber
    if (isScannedAtSkewed(event.scannedAt, item.receivedAt!)) {
      item.clockSkewed = true
      log.warn({ deviceId: event.deviceId, eventId: event.eventId, scannedAt: event.scannedAt }, 'scannedAt far from the hub clock')
    }
    return item
  }

  return async function handleScan(topic: DeviceTopic, payload: Buffer): Promise<void> {
    if (payload.length > deps.maxPayloadBytes) {
      return reject(topic, null, new Rejection('PAYLOAD_TOO_LARGE', `${payload.length} bytes, limit ${deps.maxPayloadBytes}`))
    }
    let body: unknown
    try {
      body = JSON.parse(payload.toString('utf8'))
    } catch (err) {
      return reject(topic, null, new Rejection('MALFORMED_JSON', (err as Error).message))
    }
    const fields = (typeof body === 'object' && body !== null ? body : {}) as EventFields
    const eventId = checkEventId(fields.eventId).ok ? (fields.eventId as string) : null
    const refused = deviceRejection(topic, await catalog.device(topic.deviceId), fields)
    const checked = checkEvent(body)
    if (!checked.ok) {
      const rejection = new Rejection('INVALID_EVENT', checked.error)
      if (refused) return refuse(topic, fields, eventId, refused, rejection)
      const seq = fields.deviceSeq
      // A broken event signed by its device that names its position settles that position, so the
      // device's next events need not wait out the gap. Only a signed one: a forger must not be
      // able to make the hub skip a device's real events.
      if (Number.isSafeInteger(seq) && (seq as number) > 0) return settleRejected(topic, eventId, seq as number, rejection, fields.type)
      return reject(topic, eventId, rejection, undefined, fields.type)
    }
    const event = checked.value
    if (refused) return refuse(topic, fields, event.eventId, refused)

    const known = await deps.knownOutcome(event.eventId)
    if (known) {
      if (known.hash !== payloadHash(event))
        return reject(topic, event.eventId, new Rejection('CONFLICT', event.eventId), event.deviceSeq, event.type)
      const settledAs = known.ack.status !== 'duplicate' ? known.ack.status : undefined
      return acks.publish(topic, { ...known.ack, status: 'duplicate', ...(settledAs ? { settledAs } : {}) }, event.type)
    }

    const resolved = await resolve(topic, event)
    if (resolved instanceof Rejection) return settleRejected(topic, event.eventId, event.deviceSeq, resolved, event.type)
    const partition = partitionOf(resolved.productId, deps.partitions)
    await deps.admit({ deviceId: event.deviceId, deviceSeq: event.deviceSeq, partition, item: JSON.stringify(resolved) })
  }
}
