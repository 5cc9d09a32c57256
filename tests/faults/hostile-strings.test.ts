import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { SITE } from '../helpers/fixtures.ts'
import { TestDevice } from '../helpers/test-device.ts'
import { countBadInputs } from './harness/fault-log.ts'
import { testSeed } from './harness/fault-test.ts'
import { useSharedStack, type SharedStack } from './harness/shared-stack.ts'
import { checkAll } from './invariants/check-all.ts'
import { answersTo } from './inputs/send-and-wait.ts'

// Items 8 and 9 on one hub.
// A 10 KB field makes a message too large to read, so its deviceSeq stays open (an unread
// message cannot settle a position) and the next scan waits out a gap: 1 s here.
const stack = useSharedStack({ label: 'f08strings', products: 4, locations: 2, devices: 2, hubEnv: { SEQUENCE_GAP_WAIT_MS: 1000 } })

/** Strings a hostile or broken client might send where a SKU, location or free text goes. */
const HOSTILE = [
  "P-1'; DROP TABLE products;--",
  "' OR '1'='1",
  'P-1" OR 1=1 --',
  '%',
  '_',
  'P-%',
  'P\\_1',
  '*',
  '+/#',
  'P-1\u0000',
  '\u0000',
  'P\u200b-1',
  '\ufeffP-1',
  '\u202eP-1',
  '\u2066P-1\u2069',
  'مخزن-1',
  'P-1 ',
  ' P-1',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  '${jndi:ldap://x}',
  'x'.repeat(10 * 1024),
  'P-1\nP-2',
  'NULL',
]

const headers = (s: SharedStack) => {
  const key = (s.fixture as { keys?: Record<string, string> }).keys?.orders
  return { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) }
}

describe('item 8: hostile SKUs, locations and text', () => {
  it('are rejected or stored verbatim, over MQTT and HTTP, and the tables stay intact', async () => {
    const s = stack.current
    const hub = await s.startHub()
    const device = await TestDevice.connect(s.env, s.fixture.devices[0]!)
    const tables = await s.inspect.rows('SHOW TABLES')
    const [sku, loc] = [s.fixture.skus[0]!, s.fixture.locations[0]!]
    let tried = 0
    for (const field of ['barcode', 'location', 'toLocation', 'lot', 'reason', 'poNumber', 'orderId'] as const) {
      const events = HOSTILE.map((text) =>
        device.event({ type: field === 'toLocation' ? 'move' : 'receive', barcode: sku, location: loc, qty: 1, [field]: text }),
      )
      const answers = await answersTo(device, events)
      tried += events.length
      for (const [i, ack] of answers.entries()) {
        if (ack.status === 'rejected') continue
        // Accepted: a scan trimmed to a known SKU (scanners pad), or free text stored exactly as sent.
        if (field === 'barcode') {
          expect(HOSTILE[i]!.trim(), `barcode ${JSON.stringify(HOSTILE[i])} accepted`).toBe(sku)
          continue
        }
        const column = ({ lot: 'lot', reason: 'reason', poNumber: 'po_number', orderId: 'order_id' } as Record<string, string>)[field]
        expect(column, `${field} ${JSON.stringify(HOSTILE[i])} accepted`).toBeDefined()
        if (ack.status === 'held') {
          const [held] = await s.inspect.rows<{ payload: string }>('SELECT payload FROM held_events WHERE event_id = ?', [
            events[i]!.eventId,
          ])
          expect((JSON.parse(held!.payload) as { event: Record<string, string> }).event[field], field).toBe(HOSTILE[i])
          continue
        }
        const [row] = await s.inspect.rows<{ v: string }>(`SELECT ${column} AS v FROM stock_movements WHERE event_id = ? AND leg = 0`, [
          events[i]!.eventId,
        ])
        expect(row!.v, field).toBe(HOSTILE[i])
      }
    }
    for (const text of HOSTILE) {
      const name = JSON.stringify(text).slice(0, 40)
      const q = encodeURIComponent(text)
      const search = await fetch(`${hub.url}/api/inventory?site=${SITE}&search=${q}`, { headers: headers(s) })
      // Search is a literal substring of the SKU or the name: wildcards match only themselves.
      if (search.status === 200)
        for (const item of ((await search.json()) as { items: { sku: string; name: string }[] }).items)
          expect(`${item.sku}\n${item.name}`, `search ${name}`).toContain(text)
      else expect(search.status).toBe(400)
      const one = await fetch(`${hub.url}/api/inventory/${q}?site=${SITE}`, { headers: headers(s) })
      expect(Math.floor(one.status / 100), `GET ${name}`).toBe(4) // refused (400, 404, or a URL too long)
      const check = await fetch(`${hub.url}/api/stock/check`, {
        method: 'POST',
        headers: headers(s),
        body: JSON.stringify({ site: SITE, items: [{ sku: text, qty: 1 }] }),
      })
      expect([200, 400], `check ${name}`).toContain(check.status)
      if (check.status === 200) expect(await check.json()).toMatchObject({ items: [{ available: 0, ok: false }] })
      const order = await fetch(`${hub.url}/api/orders`, {
        method: 'POST',
        headers: { ...headers(s), 'idempotency-key': `hostile-${tried++}` },
        body: JSON.stringify({ site: SITE, lines: [{ sku: text, qty: 1 }] }),
      })
      expect(Math.floor(order.status / 100), `order ${name}`).toBe(4)
      tried += 3
    }
    countBadInputs(8, tried)
    expect(await s.inspect.rows('SHOW TABLES')).toEqual(tables)
    expect(await s.inspect.rows<{ n: number }>('SELECT COUNT(*) AS n FROM products')).toEqual([{ n: 4 }])
    expect(await s.inspect.rows<{ n: number }>('SELECT COUNT(*) AS n FROM reservations')).toEqual([{ n: 0 }])
    await device.close()
    expect(await checkAll(s, { item: 8 })).toEqual([])
  })
})

const gtin = (s: SharedStack) => s.fixture.gtins[1]!
describe('item 9: GS1 labels', () => {
  it('with a bad check digit, a truncated or unknown AI are rejected with a code; day 00 is normalised', async () => {
    const s = stack.current
    const device = await TestDevice.connect(s.env, s.fixture.devices[1]!)
    const g = gtin(s)
    const wrong = `${g.slice(0, 13)}${(Number(g[13]) + 1) % 10}`
    const scan = (barcode: string, qty?: number) =>
      device.event({ type: 'receive', barcode, location: s.fixture.locations[1]!, ...(qty ? { qty } : {}) })
    const cases: [string, string][] = [
      [`(01)${wrong}(37)2`, 'BAD_CHECK_DIGIT'],
      // Bare, with no symbology identifier: a leading (01), an AI of predefined length, still reads as GS1.
      [`01${wrong}372`, 'BAD_CHECK_DIGIT'],
      [`(01)${g.slice(0, 10)}(37)2`, 'TRUNCATED_AI'],
      [`]C101${g}17${'2712'}`, 'TRUNCATED_AI'],
      // (23) and (04) are in no GS1 table; an AI the hub has no use for, such as (98), is kept (below).
      [`(01)${g}(23)X(37)2`, 'UNKNOWN_AI'],
      [`]C101${g}0412`, 'UNKNOWN_AI'],
      [`(01)${g}(17)271332(37)2`, 'BAD_DATE'],
      [`(01)${g}(17)270230(37)2`, 'BAD_DATE'],
      [`(10)L1(37)2`, 'NO_PRODUCT_ID'],
    ]
    const answers = await answersTo(
      device,
      cases.map(([b]) => scan(b)),
    )
    for (const [i, ack] of answers.entries())
      expect(ack, cases[i]![0]).toMatchObject({ status: 'rejected', code: 'BAD_BARCODE', message: expect.stringContaining(cases[i]![1]) })

    // Day 00 is the last day of the month: normalised, and the lot carries the real date. An AI of
    // the table the hub has no use for, raw or in parentheses, is read and kept, not refused.
    const kept = await answersTo(device, [scan(`(01)${g}(10)LOT00(17)270200(37)3`), scan(`(01)${g}(98)X(37)2`), scan(`]C101${g}9912`)])
    expect(kept.map((a) => a.status)).toEqual(['applied', 'applied', 'applied'])
    expect(await s.inspect.rows("SELECT DATE_FORMAT(expiry, '%Y-%m-%d') AS expiry FROM lots WHERE lot_code = 'LOT00'")).toMatchObject([
      { expiry: '2027-02-28' },
    ])

    // Seeded corruptions of a valid label: every one answered, applied as a valid label or refused with a code.
    const label = `(01)${g}(10)L7(17)281231(37)4`
    const corrupted = fc
      .sample(
        fc
          .tuple(fc.nat(label.length - 1), fc.constantFrom('', '0', '9', '(', ')', 'X', '\u001d'))
          .map(([at, c]) => label.slice(0, at) + c + label.slice(at + 1)),
        { seed: testSeed('gs1-corruptions'), numRuns: 200 },
      )
      .filter((b, i, all) => b !== label && all.indexOf(b) === i)
    const outcomes = await answersTo(
      device,
      corrupted.map((b) => scan(b)),
    )
    for (const [i, ack] of outcomes.entries())
      if (ack.status === 'rejected') expect(ack.code, corrupted[i]).toMatch(/^(BAD_BARCODE|UNKNOWN_BARCODE|QTY_MISMATCH|INVALID_EVENT)$/)
      else expect(ack.status, corrupted[i]).toBe('applied')
    countBadInputs(9, cases.length + corrupted.length)
    console.log(
      `item 9: ${corrupted.length} corrupted labels: ${outcomes.filter((a) => a.status === 'applied').length} still valid, the rest refused with a code`,
    )
    await device.close()
    expect(await checkAll(s, { item: 9 })).toEqual([])
  })
})
