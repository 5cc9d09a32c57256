import { describe, expect, it } from 'vitest'
import { OrderingClient, type ReserveResult } from '@wh/shared'
import { SITE } from '../helpers/fixtures.ts'
import { TestDevice } from '../helpers/test-device.ts'
import { countFault } from './harness/fault-log.ts'
import { testSeed } from './harness/fault-test.ts'
import { byProfile } from './harness/profile.ts'
import { useSharedStack, type SharedStack } from './harness/shared-stack.ts'
import { checkAll } from './invariants/check-all.ts'

// Items 24-26 over two hub processes; a key in flight is waited for 1 s. Orders keep the default
// lifetime: one lapsing during item 24 would hand its unit to a later order. Item 26 starts a
// third hub whose orders lapse after 2 s.
const LAPSE = { ORDER_TTL_SECONDS: 2 }
const stack = useSharedStack({
  label: 'f24orders',
  products: 6,
  locations: 2,
  devices: 2,
  hubEnv: { IDEMPOTENCY_WAIT_SECONDS: 1 },
})

/** The fixture's `orders` API key, once the fixture makes keys. */
const ordersKey = (s: SharedStack) => (s.fixture as { keys?: Record<string, string> }).keys?.orders
/** The ordering site's client of one hub of the stack. */
const clientOf = (s: SharedStack, hub: SharedStack['hubs'][number], fetcher?: typeof fetch) => {
  const apiKey = ordersKey(s)
  return new OrderingClient({ baseUrl: hub.url!, backoffMs: 20, ...(apiKey ? { apiKey } : {}), ...(fetcher ? { fetch: fetcher } : {}) })
}
const clients = async (s: SharedStack, fetcher?: typeof fetch) => {
  while (s.hubs.length < 2) await s.startHub()
  return s.hubs.map((h) => clientOf(s, h, fetcher))
}
async function receive(s: SharedStack, device: TestDevice, sku: string, qty: number) {
  const event = device.event({ type: 'receive', barcode: sku, location: s.fixture.locations[0]!, qty })
  await device.publish(event)
  await device.waitFor((acks) => acks.some((a) => a.eventId === event.eventId))
}
const level = async (s: SharedStack, sku: string) => {
  const rows = (await s.inspect.levels()).filter((l) => l.sku === sku)
  return { onHand: rows.reduce((n, l) => n + l.onHand, 0), reserved: rows.reduce((n, l) => n + l.reserved, 0) }
}

describe('item 24: 100 available, 250 concurrent reservations over two hubs while a scanner picks', () => {
  it('lets exactly 100 units go, refuses the rest with the details; I2, I6', async () => {
    const s = stack.current
    testSeed('oversell')
    const [sku] = s.fixture.skus as [string]
    const loc = s.fixture.locations[0]!
    const [receiver, picker] = await Promise.all(s.fixture.devices.map((id) => TestDevice.connect(s.env, id)))
    const ordering = await clients(s)
    await receive(s, receiver!, sku, 100)
    const picks = Array.from({ length: 30 }, () => picker!.event({ type: 'pick', barcode: sku, location: loc, qty: 1 }))
    const [results] = await Promise.all([
      Promise.all(Array.from({ length: 250 }, (_, i) => ordering[i % 2]!.reserve({ site: SITE, lines: [{ sku, qty: 1 }] }))),
      Promise.all(picks.map((p) => picker!.publish(p))),
    ])
    await picker!.waitFor((acks) => picks.every((p) => acks.some((a) => a.eventId === p.eventId)))
    const reserved = results.filter((r) => r.ok).length
    const picked = picker!.acks.filter((a) => a.status === 'applied').length
    const short = results.filter((r): r is Extract<ReserveResult, { ok: false }> => !r.ok)
    console.log(`item 24: ${reserved} reserved, ${picked} picked, ${short.length} refused`)
    expect(reserved + picked).toBe(100)
    expect(short.every((r) => r.shortage.details[0]!.available === 0)).toBe(true)
    expect(await level(s, sku)).toEqual({ onHand: 100 - picked, reserved })
    await Promise.all([receiver!.close(), picker!.close()])
    expect(await checkAll(s, { item: 24 })).toEqual([])
  })
})

describe('item 25: Idempotency-Key', () => {
  it('10 identical requests at once make one reservation; another body with the key is 422; a lost answer is replayed', async () => {
    const s = stack.current
    testSeed('idempotency')
    const [sku, lostSku] = s.fixture.skus.slice(1, 3) as [string, string]
    const device = await TestDevice.connect(s.env, s.fixture.devices[0]!)
    const ordering = await clients(s)
    await receive(s, device, sku, 4 * byProfile({ ci: 3, full: 10 }))
    await receive(s, device, lostSku, 10)
    const request = { site: SITE, lines: [{ sku, qty: 4 }] }
    const rounds = byProfile({ ci: 3, full: 10 })
    for (let r = 0; r < rounds; r++) {
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => ordering[i % 2]!.reserve(request, `same-key-${r}`)))
      expect(new Set(results.map((x) => JSON.stringify(x.ok && x.order))).size).toBe(1)
      expect(results.filter((x) => x.ok && !x.replayed)).toHaveLength(1)
      await expect(ordering[r % 2]!.reserve({ site: SITE, lines: [{ sku, qty: 5 }] }, `same-key-${r}`)).rejects.toMatchObject({
        status: 422,
        body: { code: 'IDEMPOTENCY_KEY_REUSED' },
      })
    }
    // One order per key (orders lapse after 2 s here, so the level may have let some go already).
    const perKey = await s.inspect.rows<{ n: number }>(
      "SELECT COUNT(*) AS n FROM orders WHERE idempotency_key LIKE 'same-key-%' GROUP BY idempotency_key",
    )
    expect(perKey.map((r) => Number(r.n))).toEqual(Array(rounds).fill(1))

    // The request commits, its answer is lost on the way back; the client's retry gets the stored one.
    let calls = 0
    const dropFirst: typeof fetch = async (input, init) => {
      const response = await fetch(input, init)
      if (calls++ === 0) throw new TypeError('fetch failed: socket hang up')
      return response
    }
    const [lossy] = await clients(s, dropFirst)
    const result = await lossy!.reserve({ site: SITE, lines: [{ sku: lostSku, qty: 3 }] })
    countFault(25, 'response lost after commit')
    expect(result).toMatchObject({ ok: true, replayed: true, order: { status: 'pending', lines: [{ sku: lostSku, qty: 3 }] } })
    const holders = await s.inspect.rows<{ order_id: string }>(
      'SELECT DISTINCT r.order_id FROM reservations r JOIN products p ON p.id = r.product_id WHERE p.sku = ?',
      [lostSku],
    )
    expect(holders.map((h) => h.order_id)).toEqual([result.ok && result.order.orderId])
    await device.close()
    expect(await checkAll(s, { item: 25 })).toEqual([])
  })
})

describe('item 26: expiry, and confirm or cancel twice', () => {
  it('resolves every order at most once, whatever races it; I6', async () => {
    const s = stack.current
    testSeed('resolutions')
    const [sku, raced] = s.fixture.skus.slice(3, 5) as [string, string]
    const device = await TestDevice.connect(s.env, s.fixture.devices[1]!)
    const ordering = await clients(s)
    await receive(s, device, sku, 50)
    await receive(s, device, raced, 50)
    const place = async (which: string, qty = 2, through = ordering[0]!) => {
      const placed = await through.reserve({ site: SITE, lines: [{ sku: which, qty }] })
      if (!placed.ok) throw new Error('not reserved')
      return placed.order.orderId
    }
    // Lapsed, then confirmed: refused, and the stock was released once.
    const lapsed = await place(sku, 6, clientOf(s, await s.startHub(LAPSE)))
    const deadline = Date.now() + 20_000
    while ((await level(s, sku)).reserved !== 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
    await expect(ordering[1]!.confirm(lapsed)).rejects.toMatchObject({ status: 409, body: { code: 'ORDER_EXPIRED' } })
    await expect(ordering[0]!.cancel(lapsed)).rejects.toMatchObject({ status: 409 })

    // Confirm twice, cancel twice, and confirm racing cancel from both hubs: one resolution each.
    const orders = await Promise.all(Array.from({ length: byProfile({ ci: 6, full: 20 }) }, () => place(raced, 1)))
    const outcomes = await Promise.all(
      orders.map((id, i) =>
        Promise.allSettled([0, 1, 2, 3].map((k) => (k % 2 === i % 2 ? ordering[k % 2]!.confirm(id) : ordering[k % 2]!.cancel(id)))),
      ),
    )
    for (const [i, settled] of outcomes.entries()) {
      // A repeat answers the order as it is: every cancel succeeds (the first does it, the other
      // finds it done); a confirm succeeds unless a cancel came first, and then says so (409
      // ORDER_CANCELLED). The answer shows the order as read, perhaps cancelled by the racing call.
      const kind = (k: number) => (k % 2 === i % 2 ? 'confirm' : 'cancel')
      for (const [k, r] of settled.entries()) {
        if (r.status === 'fulfilled')
          expect(r.value.status, `order ${orders[i]}`).toMatch(kind(k) === 'cancel' ? /^cancelled$/ : /^(confirmed|cancelled)$/)
        else {
          expect(kind(k), `order ${orders[i]}`).toBe('confirm')
          expect(r.reason, `order ${orders[i]}`).toMatchObject({ status: 409, body: { code: 'ORDER_CANCELLED' } })
        }
      }
    }
    // Never two of a kind where it counts: each order's stock went back once, and it was cancelled once.
    const releases = await s.inspect.rows<{ order_id: string; n: number }>(
      "SELECT order_id, COUNT(*) AS n FROM stock_movements WHERE type = 'release' AND order_id IN (?) GROUP BY order_id",
      [orders],
    )
    expect(releases.map((r) => [r.order_id, Number(r.n)]).sort()).toEqual(orders.map((id) => [id, 1]).sort())
    const audits = await s.inspect.rows<{ entity_id: string; action: string; n: number }>(
      "SELECT entity_id, action, COUNT(*) AS n FROM audit_log WHERE entity = 'order' GROUP BY entity_id, action HAVING n > 1",
    )
    expect(audits).toEqual([])
    await device.close()
    expect(await checkAll(s, { item: 26 })).toEqual([])
  })
})
