import { mkdtemp, rm } from 'node:fs/promises'
import { afterAll, beforeAll } from 'vitest'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startScanner, type NodeScannerOptions, type ScannerClient, type ScanOutcome } from '../../devices/src/index.ts'
import { testDeviceSecret } from './device-secrets.ts'
import { SITE } from './fixtures.ts'
import type { TestEnv } from './test-env.ts'

/** Real ScannerClients for the test env's topics, with outboxes in a temp folder removed at the end. */
export async function createScannerKit(env: TestEnv) {
  const dir = await mkdtemp(join(tmpdir(), 'wh-outbox-'))
  const clients: ScannerClient[] = []
  // Client ids are the broker's, not the topic root's: two test files on one broker, each with a
  // device D-1, would take each other's session. The same id every start keeps the session.
  const clientId = (deviceId: string) => `${env.id}-${deviceId}`
  return {
    dir,
    clientId,
    outboxPath: (deviceId: string) => join(dir, `${deviceId}.outbox`),
    async start(deviceId: string, overrides: Partial<NodeScannerOptions> = {}) {
      const client = await startScanner({
        deviceId,
        site: SITE,
        secret: testDeviceSecret(deviceId),
        brokerUrl: env.urls.mqtt,
        topicRoot: env.env.MQTT_TOPIC_ROOT,
        outboxPath: join(dir, `${deviceId}.outbox`),
        ackTimeoutMs: 1000,
        ...overrides,
        mqtt: { clientId: clientId(deviceId), ...overrides.mqtt },
      })
      const outcomes: ScanOutcome[] = []
      client.on('outcome', (o) => outcomes.push(o))
      client.on('error', () => undefined) // reconnects are the client's own business; tests assert outcomes
      clients.push(client)
      return { client, outcomes }
    },
    async close() {
      await Promise.all(clients.map((c) => c.stop().catch(() => undefined)))
      await rm(dir, { recursive: true, force: true })
    },
  }
}

export type ScannerKit = Awaited<ReturnType<typeof createScannerKit>>

/** A scanner kit for a test file: made before its tests, its clients stopped and folder removed after. */
export function useScannerKit(scenario: { env: TestEnv }): Omit<ScannerKit, 'close'> {
  let kit: ScannerKit | undefined
  beforeAll(async () => {
    kit = await createScannerKit(scenario.env)
  })
  afterAll(() => kit?.close())
  return {
    get dir() {
      return kit!.dir
    },
    clientId: (deviceId) => kit!.clientId(deviceId),
    outboxPath: (deviceId) => kit!.outboxPath(deviceId),
    start: (deviceId, overrides) => kit!.start(deviceId, overrides),
  }
}
