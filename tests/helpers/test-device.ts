import { randomUUID } from 'node:crypto'
import mqtt, { type MqttClient } from 'mqtt'
import { createTopics, type Ack, type DeviceProvisioning, type ScanEvent } from '@wh/shared'
import { withSignature } from '@wh/shared/signing'
import { testDeviceSecret } from './device-secrets.ts'
import type { TestEnv } from './test-env.ts'
import { SITE } from './fixtures.ts'

/**
 * A bare MQTT device for integration tests: publishes what a test gives it and records every ack,
 * so tests can send what a real ScannerClient never would. An object is signed with the device's
 * secret (its `testDeviceSecret` unless given) before it is sent, unless the test says otherwise;
 * a string or Buffer goes out exactly as given.
 */
export class TestDevice {
  readonly acks: Ack[] = []
  private seq = 0
  private waiters: (() => void)[] = []

  private constructor(
    readonly deviceId: string,
    private readonly client: MqttClient,
    private readonly topics: ReturnType<typeof createTopics>,
    readonly site: string,
    readonly secret: string,
  ) {}

  static connect(env: TestEnv, deviceId: string, site = SITE, secret = testDeviceSecret(deviceId)): Promise<TestDevice> {
    return TestDevice.open(env, { deviceId, site, secret, broker: env.urls.mqtt, topicRoot: env.env.MQTT_TOPIC_ROOT! })
  }

  /** A device set up from a provisioning payload alone (what the console's QR code holds), as a handheld would. */
  static provisioned(env: TestEnv, p: DeviceProvisioning): Promise<TestDevice> {
    return TestDevice.open(env, { deviceId: p.deviceId, site: p.site, secret: p.secret, broker: p.mqtt, topicRoot: p.topicRoot })
  }

  private static async open(
    env: TestEnv,
    o: { deviceId: string; site: string; secret: string; broker: string; topicRoot: string },
  ): Promise<TestDevice> {
    const topics = createTopics(o.topicRoot)
    const client = await mqtt.connectAsync(o.broker, {
      protocolVersion: 5,
      clientId: `${env.id}-${o.deviceId}-${randomUUID().slice(0, 6)}`,
    })
    const device = new TestDevice(o.deviceId, client, topics, o.site, o.secret)
    client.on('message', (_topic, payload) => {
      device.acks.push(JSON.parse(payload.toString()) as Ack)
      device.waiters.splice(0).forEach((w) => w())
    })
    await client.subscribeAsync(topics.acks(o.site, o.deviceId), { qos: 1 })
    return device
  }

  /** A well-formed event from this device with the next deviceSeq. */
  event(fields: Partial<ScanEvent> & Pick<ScanEvent, 'type' | 'barcode' | 'location'>): ScanEvent {
    return { eventId: randomUUID(), deviceId: this.deviceId, deviceSeq: ++this.seq, ...fields }
  }

  /**
   * Publishes on the events topic of `topicDeviceId` (this device's by default). `sign`: true signs
   * an object with this device's secret, a string signs it with that secret instead, false sends
   * it as it is (with whatever `signature` it carries, or none).
   */
  async publish(
    payload: ScanEvent | object | string | Buffer,
    topicDeviceId = this.deviceId,
    sign: boolean | string = true,
  ): Promise<void> {
    const secret = sign === true ? this.secret : sign
    const body =
      typeof payload === 'string' || Buffer.isBuffer(payload)
        ? payload
        : JSON.stringify(secret === false ? payload : withSignature(payload, secret))
    await this.client.publishAsync(this.topics.events(this.site, topicDeviceId), body, { qos: 1 })
  }

  /** Waits until `predicate` holds over the acks received, or fails after `timeoutMs`. */
  async waitFor(predicate: (acks: Ack[]) => boolean, timeoutMs = 20_000): Promise<Ack[]> {
    const deadline = Date.now() + timeoutMs
    while (!predicate(this.acks)) {
      const left = deadline - Date.now()
      if (left <= 0) throw new Error(`${this.deviceId}: timed out with ${this.acks.length} acks`)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 500))
        this.waiters.push(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
    return this.acks
  }

  /** Publishes the events in order and answers each one's first ack, once every one has one. */
  async send(events: ScanEvent[]): Promise<Ack[]> {
    for (const e of events) await this.publish(e)
    await this.waitFor(() => events.every((e) => this.acksFor(e.eventId).length > 0))
    return events.map((e) => this.acksFor(e.eventId)[0]!)
  }

  acksFor(eventId: string | null): Ack[] {
    return this.acks.filter((a) => a.eventId === eventId)
  }

  async close(): Promise<void> {
    await this.client.endAsync()
  }
}
