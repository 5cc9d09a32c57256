import { afterAll, beforeAll, expect } from 'vitest'
import { OrderingClient, type Run, type ScanEvent } from '@wh/shared'
import { eventually } from './eventually.ts'
import { bearer, SITE } from './fixtures.ts'
import { useScenario } from './scenario.ts'
import { httpUrl } from './screen.ts'
import { TestDevice } from './test-device.ts'

export const SITE2 = 'site2'
export const SITES = [SITE, SITE2]

/**
 * Two sites with the same location codes (L-1, L-2 and a shipping lane SHIP-1 at each: on hand,
 * never available), one device at each, and no scheduled reconciliation, so each run is the
 * test's. The second site's device is registered as an admin would, with the secret the hub issues.
 */
export function useTwoSites(label: string, products: number) {
  const s = useScenario(label, { products, locations: 2, devices: 1, hubs: [{ RECONCILE_INCREMENTAL_MS: 0, RECONCILE_FULL_MS: 0 }] })
  const hub = () => s.hubs[0]!
  const api = (url: string, key = s.fixture.keys.admin, method: 'GET' | 'POST' = 'GET', payload?: object) =>
    hub().inject({ method, url, headers: bearer(key), ...(payload ? { payload } : {}) })
  const devices = {} as { site1: TestDevice; site2: TestDevice }

  beforeAll(async () => {
    await s.inspect.db.query(`INSERT INTO sites (code, name) VALUES (?, 'Second site')`, [SITE2])
    await s.inspect.db.query(
      `INSERT INTO locations (site, code, zone, reservable) VALUES
         (?, 'SHIP-1', 'shipping', FALSE), (?, 'L-1', '', TRUE), (?, 'L-2', '', TRUE), (?, 'SHIP-1', 'shipping', FALSE)`,
      [SITE, SITE2, SITE2, SITE2],
    )
    const registered = await api('/api/devices', s.fixture.keys.admin, 'POST', { id: 'E-1', site: SITE2 })
    expect(registered.statusCode).toBe(201)
    devices.site1 = s.devices[0]!
    devices.site2 = await TestDevice.connect(s.env, 'E-1', SITE2, registered.json<{ secret: string }>().secret)
  })
  afterAll(() => devices.site2?.close())

  return {
    s,
    hub,
    api,
    devices,
    /** Publishes a device's events and waits until each is applied. */
    async scan(device: TestDevice, events: Omit<ScanEvent, 'eventId' | 'deviceId' | 'deviceSeq'>[]) {
      const acks = await device.send(events.map((e) => device.event(e)))
      expect(acks.map((a) => a.status)).toEqual(acks.map(() => 'applied'))
    },
    ordering: async (key = s.fixture.keys.orders) => new OrderingClient({ baseUrl: await httpUrl(hub()), apiKey: key }),
    /** Polls a full reconciliation run queued through the API until it is done. */
    async reconcile(dryRun: boolean): Promise<Run> {
      const queued = await api('/api/reconciliation/runs', s.fixture.keys.admin, 'POST', { scope: 'full', dryRun })
      expect(queued.statusCode).toBe(202)
      const { id } = queued.json<{ run: Run }>().run
      let run: Run | undefined
      await eventually('the run', async () => (run = (await api(`/api/reconciliation/runs/${id}`)).json<Run>()).status === 'done', 20_000)
      return run!
    },
  }
}
