import { afterAll, describe, expect, it } from 'vitest'
import { startPrivateMosquitto } from '../helpers/private-mosquitto.ts'
import { useScenario } from '../helpers/scenario.ts'
import { eventually } from '../helpers/eventually.ts'
import { useScannerKit } from '../helpers/scanners.ts'

let broker: Awaited<ReturnType<typeof startPrivateMosquitto>>
// Hub and scanners use a broker of this test's own, which it restarts mid-run.
const s = useScenario('brokerrestart', {
  products: 5,
  locations: 1,
  devices: 5,
  hubs: async () => {
    broker = await startPrivateMosquitto()
    return [{ MQTT_URL: broker.url }]
  },
})
const kit = useScannerKit(s)
afterAll(async () => {
  await broker?.close()
})

describe('the broker restarted while 5 scanners publish', () => {
  it('applies every event exactly once', async () => {
    const { fixture, inspect } = s
    const perDevice = 120
    const scanners = await Promise.all(fixture.devices.map((id) => kit.start(id, { brokerUrl: broker.url })))
    await eventually('scanners online', () => scanners.every(({ client }) => client.connected))
    const location = fixture.locations[0]!

    const scanning = scanners.map(async ({ client }, i) => {
      for (let n = 0; n < perDevice; n++) {
        await client.scan({ type: 'receive', barcode: fixture.skus[i]!, location, qty: 1 })
        await new Promise((r) => setTimeout(r, 20))
      }
    })
    await new Promise((r) => setTimeout(r, 800))
    await broker.restart()
    await Promise.all(scanning)
    await eventually('every outcome', () => scanners.every(({ outcomes }) => outcomes.length === perDevice), 60_000)

    expect(scanners.flatMap(({ outcomes }) => outcomes.map((o) => o.ack.settledAs ?? o.ack.status)).every((st) => st === 'applied')).toBe(
      true,
    )
    const [row] = await inspect.rows<{ rows: number; events: number }>(
      'SELECT COUNT(*) AS `rows`, COUNT(DISTINCT event_id) AS events FROM stock_movements',
    )
    expect(row).toEqual({ rows: 5 * perDevice, events: 5 * perDevice })
    expect((await inspect.levels()).map((l) => l.onHand)).toEqual(fixture.devices.map(() => perDevice))
    expect(scanners.every(({ client }) => client.pending().length === 0)).toBe(true)
    expect(await inspect.inconsistencies()).toEqual([])
  })
})
