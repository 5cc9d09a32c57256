import { EventEmitter } from 'eventemitter3'
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt'
import { v7 as uuidv7 } from 'uuid'
import {
  AckSchema,
  DeviceSyncSchema,
  ScanEventSchema,
  createTopics,
  createValidator,
  type Ack,
  type ScanEvent,
  type Validation,
} from '@wh/shared'
import { createEventSigner } from '@wh/shared/signing/web'
import type { Outbox } from './outbox/outbox.ts'
import { createResendSchedule } from './resend-schedule.ts'

/** What the handheld's user chooses; the client adds the identity, ids and time. */
export type ScanInput = Omit<ScanEvent, 'eventId' | 'deviceId' | 'deviceSeq' | 'scannedAt' | 'signature'>

export interface ScannerClientOptions {
  deviceId: string
  site: string
  /** The device's signing secret, as its registration or last rotation printed it; every event is signed with it. */
  secret: string
  /**
   * Signs an event with `secret` (64 hex digits). Node passes its node:crypto signer (sync).
   * @defaultValue the WebCrypto signer of `@wh/shared/signing/web`
   */
  sign?: (event: ScanEvent) => string | Promise<string>
  brokerUrl: string
  /** Where unacknowledged scans wait; it must survive the app (OutboxFile in Node, IndexedDB in a browser). */
  store: Outbox
  /** @defaultValue 'wh' */
  topicRoot?: string
  /** How long to wait for an ack before the first resend; later ones back off. @defaultValue 5000 */
  ackTimeoutMs?: number
  /** @defaultValue 60000 */
  maxBackoffMs?: number
  /**
   * How often the retained `online` status is published again while connected, so the hub tells
   * an idle device from a silent one (it shows a device offline after DEVICE_OFFLINE_AFTER_SECONDS,
   * 150 by default, without one). @defaultValue 60000
   */
  statusEveryMs?: number
  /** How long the broker keeps this device's session (and its acks) while it is away. @defaultValue 86400 */
  sessionExpirySeconds?: number
  /** Broker settings; `clientId` defaults to the device id (one broker serving several installations may need another). */
  mqtt?: Pick<IClientOptions, 'username' | 'password' | 'reconnectPeriod' | 'connectTimeout' | 'clientId'>
  now?: () => number
  newEventId?: () => string
}

export interface ScanOutcome {
  event: ScanEvent
  ack: Ack
  /** From the scan to its ack, across every resend. */
  latencyMs: number
}

export interface ScannerClientEvents {
  outcome: [ScanOutcome]
  connection: ['online' | 'offline']
  resend: [{ events: number }]
  /** A rejection the hub could not tie to one of this device's events (a bad signature, a disabled device). */
  refused: [Ack]
  /**
   * The hub's sync (a resume point) was handled: every kept event above `appliedThrough` is pending
   * and being sent, `events` of them; after a database restore these are what the hub lacks.
   */
  resync: [{ appliedThrough: number; events: number }]
  /**
   * The ack of an event resent for a sync whose `outcome` was emitted at its first ack: not a new
   * outcome for the user (mostly `duplicate`; `applied` where a restored hub lacked it).
   */
  resynced: [ScanOutcome]
  /** The outbox's size after a scan was stored, an ack settled one or a sync brought some back. */
  pending: [number]
  error: [Error]
}

export class InvalidScanError extends Error {}

/** A message on the sync topic that is not a DeviceSync: ignored, and reported as an `error`. */
export class InvalidSyncError extends Error {
  override name = 'InvalidSyncError'
}

const checkEvent = createValidator(ScanEventSchema)
const checkAck = createValidator(AckSchema)
const checkSync = createValidator(DeviceSyncSchema)
const utf8 = new TextDecoder()
const STATUS_EVERY_MS = 60_000

/** The payload's JSON checked by `check`; a payload that is not JSON fails like a wrong shape. */
function decode<T>(payload: Uint8Array, check: (value: unknown) => Validation<T>): Validation<T> {
  let body: unknown
  try {
    body = JSON.parse(utf8.decode(payload))
  } catch {
    return { ok: false, error: 'not JSON' }
  }
  return check(body)
}

/**
 * A scanner's link to the hub. Every scan is written to the durable outbox before it is sent and
 * stays there until the hub's ack (sent only after the hub's commit) names it; until then it is
 * resent, in deviceSeq order, on every reconnect and after each ack timeout, with backoff. After
 * its ack it stays in the outbox's history for a while, so a sync from a hub restored from a
 * backup brings back what that hub lacks; and the retained `online` status is refreshed, so the
 * hub can tell an idle device from a silent one.
 * Environment-neutral (no node: imports): Node wraps it in `startScanner`, the browser handheld in
 * handheld/src/link/link.ts.
 */
export class ScannerClient extends EventEmitter<ScannerClientEvents> {
  private readonly topics
  private readonly schedule
  private readonly now: () => number
  private readonly sign: (event: ScanEvent) => string | Promise<string>
  private readonly scannedAt = new Map<string, number>()
  private resendTimer?: ReturnType<typeof setInterval>
  private statusTimer?: ReturnType<typeof setInterval>
  /** Events waiting to be signed and published, in the order they were sent. */
  private toPublish: ScanEvent[] = []
  private publishing = false
  /** Acks being recorded in the outbox: gone from it already, their `outcome` not emitted yet. */
  private settling = 0

  private constructor(
    readonly options: ScannerClientOptions,
    readonly outbox: Outbox,
    private readonly mqtt: MqttClient,
  ) {
    super()
    this.topics = createTopics(options.topicRoot ?? 'wh')
    this.now = options.now ?? Date.now
    this.sign = options.sign ?? createEventSigner(options.secret)
    this.schedule = createResendSchedule(options.ackTimeoutMs ?? 5000, options.maxBackoffMs ?? 60_000)
  }

  /** Connects, and starts resending whatever the outbox (opened by the caller) still holds. */
  static async start(options: ScannerClientOptions): Promise<ScannerClient> {
    const statusEveryMs = options.statusEveryMs ?? STATUS_EVERY_MS
    if (!(statusEveryMs > 0)) throw new RangeError(`statusEveryMs must be a positive number of milliseconds, not ${statusEveryMs}`)
    const topics = createTopics(options.topicRoot ?? 'wh')
    const status = topics.status(options.site, options.deviceId)
    const client = mqtt.connect(options.brokerUrl, {
      protocolVersion: 5,
      clientId: options.deviceId,
      clean: false,
      properties: { sessionExpiryInterval: options.sessionExpirySeconds ?? 86_400 },
      will: { topic: status, payload: 'offline', qos: 1, retain: true },
      reconnectPeriod: 1000,
      ...options.mqtt,
    })
    const scanner = new ScannerClient(options, options.store, client)
    scanner.wire()
    return scanner
  }

  private wire() {
    const { mqtt, topics, options } = this
    const now = this.now()
    for (const e of this.outbox.events()) this.scannedAt.set(e.eventId, now)
    const syncTopic = topics.sync(options.site, options.deviceId)
    mqtt.on('connect', () => {
      // Small packets each way (events, PUBACKs): Nagle would hold them for the peer's delayed ACK.
      ;(mqtt.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true)
      // Subscribed before `online` goes out: the hub answers `online` with a sync.
      void mqtt.subscribeAsync([topics.acks(options.site, options.deviceId), syncTopic], { qos: 1 }).catch((err) => this.emit('error', err))
      this.publishStatus('online')
      this.emit('connection', 'online')
      this.schedule.reset()
      this.resendDue()
    })
    mqtt.on('close', () => this.emit('connection', 'offline'))
    mqtt.on('error', (err) => this.emit('error', err))
    mqtt.on('message', (topic, payload) => void (topic === syncTopic ? this.onSync(payload) : this.onAck(payload)))
    this.resendTimer = setInterval(() => this.resendDue(), 250)
    // The retained status is only published on a change, so an idle device would look silent.
    this.statusTimer = setInterval(() => mqtt.connected && this.publishStatus('online'), options.statusEveryMs ?? STATUS_EVERY_MS)
  }

  private publishStatus(status: 'online' | 'offline') {
    this.mqtt.publish(this.topics.status(this.options.site, this.options.deviceId), status, { qos: 1, retain: true })
  }

  get connected(): boolean {
    return this.mqtt.connected
  }

  /** Unacknowledged scans, oldest first. */
  pending(): ScanEvent[] {
    return this.outbox.events()
  }

  /**
   * Scans whose `outcome` has not been emitted yet. The outbox forgets an event before its ack
   * record is on disk, and the outcome follows that write, so a caller waiting for every outcome
   * waits for this to reach zero, not for an empty outbox.
   */
  get unsettled(): number {
    return this.outbox.size + this.settling
  }

  /** Records a scan durably and sends it when connected; resolves once it is safe on disk. */
  async scan(input: ScanInput): Promise<ScanEvent> {
    const event = await this.outbox.add((deviceSeq) => {
      const e = {
        ...input,
        eventId: (this.options.newEventId ?? uuidv7)(),
        deviceId: this.options.deviceId,
        deviceSeq,
        scannedAt: new Date(this.now()).toISOString(),
      }
      const checked = checkEvent(e)
      if (!checked.ok) throw new InvalidScanError(checked.error)
      // Kept unsigned: every send signs it (below), so a signature stored here would be made twice.
      return checked.value
    })
    this.scannedAt.set(event.eventId, this.now())
    this.emit('pending', this.unsettled)
    this.send([event])
    return event
  }

  /**
   * Drops or restores the link on purpose, like walking out of Wi-Fi: the socket is cut without a
   * goodbye, so the broker publishes the `offline` will; scans go on into the outbox meanwhile.
   */
  setOnline(online: boolean): void {
    if (online) {
      this.mqtt.options.reconnectPeriod = this.options.mqtt?.reconnectPeriod ?? 1000
      if (!this.mqtt.connected) this.mqtt.reconnect()
    } else {
      this.mqtt.options.reconnectPeriod = 0
      this.mqtt.stream?.destroy()
    }
  }

  /**
   * Says goodbye (`offline`, retained), stops resending and closes the outbox. Pending scans stay
   * on disk. On a dead link the goodbye cannot be acknowledged, so after a grace period the
   * connection is simply dropped (the broker then publishes the will instead).
   */
  async stop(graceMs = 2000): Promise<void> {
    clearInterval(this.resendTimer)
    clearInterval(this.statusTimer)
    if (this.mqtt.connected) this.publishStatus('offline')
    let grace: ReturnType<typeof setTimeout> | undefined
    await Promise.race([this.mqtt.endAsync(), new Promise((resolve) => (grace = setTimeout(resolve, graceMs)))])
    clearTimeout(grace)
    // A second end() while the first waits is a no-op in mqtt.js: drop the socket itself.
    if (!this.mqtt.disconnected) this.mqtt.stream?.destroy()
    await this.outbox.close()
  }

  private send(events: ScanEvent[]) {
    if (!this.mqtt.connected || events.length === 0) return
    for (const e of events) {
      this.schedule.sent(e.eventId, this.now())
      this.toPublish.push(e)
    }
    if (!this.publishing) void this.publishQueued()
  }

  /**
   * Signs and publishes queued events one after another, so an async signer (WebCrypto) cannot let
   * a later event overtake an earlier one: the hub sees each device's events in deviceSeq order.
   * A sync signer (Node) publishes within `send`, as it always did.
   */
  private async publishQueued() {
    this.publishing = true
    const topic = this.topics.events(this.options.site, this.options.deviceId)
    try {
      while (this.toPublish.length > 0) {
        const batch = this.toPublish
        this.toPublish = []
        for (const e of batch) {
          // Signed again on every send: the same bytes while the secret stays (HMAC is deterministic),
          // and events left in the outbox across a rotation go out under the device's new secret.
          const signed = this.sign(e)
          const signature = typeof signed === 'string' ? signed : await signed
          // Dropped while signing: the reconnect resends everything unacknowledged.
          if (!this.mqtt.connected) return void (this.toPublish = [])
          this.mqtt.publish(topic, JSON.stringify({ ...e, signature }), { qos: 1 })
        }
      }
    } catch (err) {
      // Not sent; the resend schedule tries these again after the ack timeout.
      this.toPublish = []
      this.emit('error', err as Error)
    } finally {
      this.publishing = false
    }
  }

  private resendDue() {
    if (!this.mqtt.connected) return
    const due = this.outbox.events().filter((e) => this.schedule.isDue(e.eventId, this.now()))
    if (due.length === 0) return
    if (due.some((e) => this.schedule.attempts(e.eventId) > 0)) this.emit('resend', { events: due.length })
    this.send(due)
  }

  /**
   * The hub's resume point: every kept event above it (pending, or acknowledged within the history
   * window) is made pending again, durably, and the resend machinery sends it in deviceSeq order.
   * Those the hub has come back `duplicate`, so a sync is always safe to follow.
   */
  private async onSync(payload: Uint8Array) {
    const checked = decode(payload, checkSync)
    if (!checked.ok) return void this.emit('error', new InvalidSyncError(`ignored an invalid sync message: ${checked.error}`))
    const { appliedThrough } = checked.value
    let events: ScanEvent[]
    try {
      events = await this.outbox.reopen(appliedThrough)
    } catch (err) {
      // Kept in history still: the hub's next sync (the device's next `online`) tries again.
      return void this.emit('error', err as Error)
    }
    const now = this.now()
    for (const e of events) if (!this.scannedAt.has(e.eventId)) this.scannedAt.set(e.eventId, now)
    this.emit('resync', { appliedThrough, events: events.length })
    // The usual sync, at every connect, brings nothing back: the pending count has not changed.
    if (events.length === 0) return
    this.emit('pending', this.unsettled)
    this.resendDue()
  }

  private async onAck(payload: Uint8Array) {
    const checked = decode(payload, checkAck)
    if (!checked.ok) return
    const ack = checked.value
    const eventId = ack.eventId
    if (!eventId) {
      if (ack.status === 'rejected') this.emit('refused', ack)
      return
    }
    const event = this.outbox.get(eventId)
    if (!event) return
    // Brought back by a sync: the user saw this scan's outcome at its first ack.
    const again = this.outbox.settledBefore(eventId)
    this.settling++
    try {
      // Only the first answer settles an event; a later copy's `duplicate` is expected and ignored.
      if (!(await this.outbox.ack(eventId))) return
      this.schedule.forget(event.eventId)
      const latencyMs = this.now() - (this.scannedAt.get(event.eventId) ?? this.now())
      this.scannedAt.delete(event.eventId)
      if (again) this.emit('resynced', { event, ack, latencyMs })
      else this.emit('outcome', { event, ack, latencyMs })
    } finally {
      this.settling--
      // Counted until the outbox has durably settled it: a reload before that would send it again.
      this.emit('pending', this.unsettled)
    }
  }
}
