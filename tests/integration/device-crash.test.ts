import { spawn } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import type { HubApp } from '../../hub/src/app.ts'
import { buildHub } from '../helpers/build-hub.ts'
import { testDeviceSecret } from '../helpers/device-secrets.ts'
import { SITE } from '../helpers/fixtures.ts'
import { useScenario } from '../helpers/scenario.ts'
import { eventually } from '../helpers/eventually.ts'
import { useScannerKit } from '../helpers/scanners.ts'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
// No hub at first: every scan stays unacknowledged in the handheld's outbox.
const s = useScenario('devcrash', { products: 1, locations: 1, devices: 1, hubs: [] })
const kit = useScannerKit(s)
let hub: HubApp | undefined
afterAll(async () => {
  await hub?.close()
})

const args = () => [
  '--secret',
  testDeviceSecret(s.fixture.devices[0]!),
  '--broker',
  s.env.urls.mqtt,
  '--topic-root',
  s.env.env.MQTT_TOPIC_ROOT!,
  '--outbox',
  kit.outboxPath(s.fixture.devices[0]!),
]

describe('a handheld app killed with 100 scans unacknowledged', () => {
  it('sends them all after a restart, and each is applied exactly once', async () => {
    const outbox = kit.outboxPath(s.fixture.devices[0]!)
    const lines = await readFile(outbox, 'utf8').catch(() => '')
    expect(lines).toBe('')
    const scans = `:receive\n:qty 2\n${Array.from({ length: 100 }, () => s.fixture.skus[0]).join('\n')}\n`
    // stdin stays open after the scans (no EOF), as on a real handheld, until the kill.
    const first = handheld(scans)
    await eventually(
      '100 scans on disk',
      async () => (await readFile(outbox, 'utf8').catch(() => '')).split('\n').filter(Boolean).length >= 100,
    )
    first.child.kill('SIGKILL')
    expect(await first.exited).toBe('SIGKILL')
    expect(await s.inspect.rows('SELECT * FROM stock_movements')).toEqual([])

    hub = await buildHub(s.env)
    const second = handheld('')
    second.child.stdin!.end()
    expect(await second.exited).toBe(0)

    const applied = await s.inspect.rows<{ device_seq: number; n: number }>(
      'SELECT device_seq, COUNT(*) AS n FROM stock_movements GROUP BY device_seq ORDER BY device_seq',
    )
    expect(applied.map((r) => Number(r.device_seq))).toEqual(Array.from({ length: 100 }, (_, i) => i + 1))
    expect(applied.every((r) => r.n === 1)).toBe(true)
    expect((await s.inspect.levels())[0]?.onHand).toBe(200)
    // The outbox is settled: replaying it leaves nothing pending.
    const { client } = await kit.start(s.fixture.devices[0]!, { brokerUrl: 'mqtt://127.0.0.1:1' })
    expect(client.pending()).toEqual([])
  })
})

/** The handheld CLI as its own process, fed barcodes on stdin. */
function handheld(input: string) {
  const deviceId = s.fixture.devices[0]!
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'devices/src/bin/handheld.ts',
      '--device',
      deviceId,
      '--site',
      SITE,
      '--location',
      s.fixture.locations[0]!,
      ...args(),
    ],
    { cwd: ROOT, stdio: ['pipe', 'ignore', 'ignore'] },
  )
  if (input) child.stdin!.write(input)
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)))
  return { child, exited }
}
