import { randomUUID } from 'node:crypto'
import mqtt, { type MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTopics } from '@wh/shared'
import { eventually } from '../helpers/eventually.ts'
import { SITE } from '../helpers/fixtures.ts'
import { useScannerKit } from '../helpers/scanners.ts'
import { createTestEnv } from '../helpers/test-env.ts'

// Only the broker: what the device publishes, as the hub would hear it.
const env = createTestEnv('statusrefresh')
const deviceId = 'D-1'
const kit = useScannerKit({ env })
const statusTopic = createTopics(env.env.MQTT_TOPIC_ROOT).status(SITE, deviceId)
let listener: MqttClient
const heard: string[] = []
beforeAll(async () => {
  listener = await mqtt.connectAsync(env.urls.mqtt, { protocolVersion: 5, clientId: `${env.id}-listener` })
  listener.on('message', (_topic, payload) => heard.push(payload.toString()))
  await listener.subscribeAsync(statusTopic, { qos: 1 })
})
afterAll(async () => {
  // Retained messages outlive the test: clear this one.
  await listener?.publishAsync(statusTopic, '', { qos: 1, retain: true })
  await listener?.endAsync()
})

describe("a scanner's status", () => {
  it('is published again while the scanner is connected and idle, so the hub sees it alive, and ends offline', async () => {
    const { client } = await kit.start(deviceId, { statusEveryMs: 200 })
    // The birth, then refreshes without a scan.
    await eventually('three online messages', () => heard.filter((m) => m === 'online').length >= 3)
    await client.stop()
    await eventually('the goodbye', () => heard.at(-1) === 'offline')

    // Stopped: nothing more, and the broker keeps `offline` for a hub that starts later.
    const late = await mqtt.connectAsync(env.urls.mqtt, { protocolVersion: 5, clientId: `${env.id}-late-${randomUUID().slice(0, 6)}` })
    const retained: string[] = []
    late.on('message', (_topic, payload) => retained.push(payload.toString()))
    await late.subscribeAsync(statusTopic, { qos: 1 })
    await eventually('the retained status', () => retained.length === 1)
    await late.endAsync()
    expect(retained).toEqual(['offline'])
    expect(heard.at(-1)).toBe('offline')
  })

  it('refuses a refresh interval that is not a positive number of milliseconds', async () => {
    const start = (statusEveryMs: number) => kit.start(deviceId, { statusEveryMs })
    await expect(start(0)).rejects.toThrow('statusEveryMs must be a positive number of milliseconds, not 0')
    await expect(start(Number.NaN)).rejects.toThrow(RangeError)
  })
})
