import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { SITE } from '../helpers/fixtures.ts'
import { runFaultScenario } from './harness/fault-scenario.ts'
import { useFaultStack } from './harness/fault-stack.ts'
import { byProfile } from './harness/profile.ts'

// Items 21 and 22: a bad network between one hub and a service, through the TCP fault proxy.

describe('item 21: hub-to-broker link cut, slowed to 500 ms, and half-open', () => {
  const stack = useFaultStack({ label: 'f21link' })
  it('keeps I3, I4 and I8', async () => {
    const s = stack.current
    const link = await s.proxy('mqtt')
    await runFaultScenario(s, {
      item: 21,
      name: 'broker-link',
      hubs: [{ MQTT_URL: link.url }],
      inject: async ({ fault }) => {
        await link.proxy.cut()
        fault('hub-broker link cut')
        await sleep(3000)
        await link.proxy.restore()
        link.proxy.delay(500)
        fault('hub-broker link 500 ms latency')
        await sleep(5000)
        link.proxy.halfOpen()
        fault('hub-broker link half-open')
        await sleep(5000)
        link.proxy.heal()
      },
    })
  })
})

describe('item 22: hub-to-database link blackholed', () => {
  const stack = useFaultStack({ label: 'f22db' })
  it('answers 503 with Retry-After meanwhile, then keeps I4', async () => {
    const s = stack.current
    const link = await s.proxy('mysql')
    const blackholeMs = byProfile({ ci: 10_000, full: 20_000 })
    await runFaultScenario(s, {
      item: 22,
      name: 'database-blackhole',
      hubs: [{ MYSQL_URL: link.url }],
      settleMs: 45_000,
      inject: async ({ hubs, fault }) => {
        link.proxy.blackhole()
        fault(`hub-database link blackholed ${blackholeMs / 1000} s`)
        await sleep(2000)
        const started = Date.now()
        const ready = await fetch(`${hubs[0]!.url}/ready`, { signal: AbortSignal.timeout(10_000) })
        expect(Date.now() - started).toBeLessThan(5000)
        expect(ready.status).toBe(503)
        expect(ready.headers.get('retry-after')).toMatch(/^\d+$/)
        expect(((await ready.json()) as { checks: { mysql: string } }).checks.mysql).toBe('down')
        // The ordering site's reservation needs the database: told to come back, not left hanging.
        const asked = Date.now()
        const order = await fetch(`${hubs[0]!.url}/api/orders`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'idempotency-key': `blackhole-${asked}`,
            authorization: `Bearer ${s.fixture.keys.orders}`,
          },
          body: JSON.stringify({ site: SITE, lines: [{ sku: s.fixture.skus.at(-1)!, qty: 1 }] }),
          signal: AbortSignal.timeout(15_000),
        })
        expect(Date.now() - asked).toBeLessThan(8000)
        expect(order.status).toBe(503)
        expect(order.headers.get('retry-after')).toMatch(/^\d+$/)
        expect(await order.json()).toMatchObject({ code: 'DB_UNAVAILABLE' })
        await sleep(Math.max(0, blackholeMs - (Date.now() - started) - 2000))
        link.proxy.heal()
      },
    })
  })
})
