import type { AddressInfo } from 'node:net'
import { beforeAll, describe, expect, it } from 'vitest'
import { gs1CheckDigit } from '@wh/shared'
import { startFleet } from '../../devices/src/sim/fleet.ts'
import { createHubApi } from '../../devices/src/sim/hub-api.ts'
import { SITE } from '../helpers/fixtures.ts'
import { useScenario } from '../helpers/scenario.ts'
import { useScannerKit } from '../helpers/scanners.ts'

const s = useScenario('simulator', { products: 40, locations: 6, devices: 0 })
const kit = useScannerKit(s)
let hubUrl: string
beforeAll(async () => {
  await s.hubs[0]!.listen({ host: '127.0.0.1', port: 0 })
  hubUrl = `http://127.0.0.1:${(s.hubs[0]!.server.address() as AddressInfo).port}`
})

describe('a seeded 10,000-event simulator run', () => {
  it("ends with counts that match the hub's ledger exactly", async () => {
    // A case of 12 for every fourth product: the fleet receives those on pallet labels too.
    const units = await s.inspect.rows<{ gtin: string; id: number }>(
      'SELECT gtin, product_id AS id FROM product_gtins WHERE product_id % 4 = 0',
    )
    for (const { gtin, id } of units) {
      const body = `1${gtin.slice(1, 13)}`
      await s.inspect.db.query('INSERT INTO product_gtins (gtin, product_id, qty) VALUES (?, ?, 12)', [`${body}${gs1CheckDigit(body)}`, id])
    }
    const fleet = startFleet({
      hub: createHubApi(hubUrl, s.fixture.keys.admin),
      brokerUrl: s.env.urls.mqtt,
      topicRoot: s.env.env.MQTT_TOPIC_ROOT,
      site: SITE,
      scanners: 25,
      rate: 2000,
      durationS: 0,
      events: 10_000,
      seed: 2026,
      outboxDir: kit.dir,
      ackTimeoutMs: 5000,
    })
    const result = await fleet.done
    const { inspect } = s

    expect(result.sent).toBe(10_000)
    expect(result.pending).toBe(0)
    const [ledger] = await inspect.rows<{ n: number }>(
      "SELECT COUNT(DISTINCT event_id) AS n FROM stock_movements WHERE device_id LIKE 'SIM-%'",
    )
    const [held] = await inspect.rows<{ n: number }>("SELECT COUNT(*) AS n FROM held_events WHERE device_id LIKE 'SIM-%'")
    expect(result.outcomes.applied).toBe(ledger!.n)
    expect(result.outcomes.held).toBe(held!.n)
    expect(result.outcomes.duplicate).toBe(0)
    expect(result.outcomes.applied + result.outcomes.held + result.outcomes.rejected).toBe(10_000)
    // The mix has bad scans, and they are refused for what they are.
    expect(Object.keys(result.rejectedByCode).sort()).toEqual(['BAD_BARCODE', 'UNKNOWN_BARCODE', 'UNKNOWN_LOCATION'])
    // A unit receipt is at most 24: more is a pallet of 3 cases or more.
    const [pallets] = await inspect.rows<{ n: number }>(
      "SELECT COUNT(*) AS n FROM stock_movements WHERE device_id LIKE 'SIM-%' AND type = 'receive' AND qty_delta > 24",
    )
    expect(pallets!.n).toBeGreaterThan(0)
    expect(await inspect.inconsistencies()).toEqual([])
  })
})
