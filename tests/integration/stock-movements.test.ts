import { describe, expect, it } from 'vitest'
import { useScenario } from '../helpers/scenario.ts'
import { eventually } from '../helpers/eventually.ts'
import { SITE } from '../helpers/fixtures.ts'

const s = useScenario('movements', { products: 1, locations: 2, devices: 1 })

describe('each kind of scan changes stock as a warehouse expects', () => {
  it('receives with GS1 lot data against its PO, moves the lot in one transaction, holds an oversized pick, counts and adjusts', async () => {
    const { fixture, inspect } = s
    const device = s.devices[0]!
    const sku = fixture.skus[0]!
    const [from, to] = fixture.locations as [string, string]
    await inspect.db.query(`INSERT INTO purchase_orders (po_number, site) VALUES ('PO-123', ?)`, [SITE])
    await inspect.db.query(`INSERT INTO po_lines (po_id, product_id, qty_ordered) SELECT id, 1, 12 FROM purchase_orders`)
    const events = [
      device.event({ type: 'receive', barcode: `(01)${fixture.gtins[0]}(10)LOT-7(17)271231(37)10(400)PO-123`, location: from }),
      device.event({ type: 'move', barcode: sku, location: from, toLocation: to, qty: 4 }),
      device.event({ type: 'pick', barcode: sku, location: from, qty: 7, orderId: 'ORD-1' }),
      device.event({ type: 'count', barcode: sku, location: to, qty: 5 }),
      device.event({ type: 'adjust', barcode: sku, location: from, qty: -1, reason: 'damaged in handling' }),
    ]
    for (const e of events) await device.publish(e)
    const acks = await device.waitFor((a) => a.length === events.length)

    expect(acks.map((a) => [a.status, a.location, a.onHand, a.available])).toEqual([
      ['applied', from, 10, 10],
      ['applied', from, 6, 6],
      ['held', from, 6, 6],
      ['applied', to, 5, 5],
      ['applied', from, 5, 5],
    ])
    expect(acks[2]).toMatchObject({ code: 'INSUFFICIENT_STOCK' })

    const ledger = await inspect.rows<Record<string, unknown>>(
      `SELECT m.type, m.leg, l.code AS location, m.qty_delta, m.on_hand_after, m.lot, m.po_number, m.reason
       FROM stock_movements m JOIN locations l ON l.id = m.location_id ORDER BY m.id`,
    )
    expect(ledger).toEqual([
      { type: 'receive', leg: 0, location: from, qty_delta: 10, on_hand_after: 10, lot: 'LOT-7', po_number: 'PO-123', reason: null },
      { type: 'move', leg: 0, location: from, qty_delta: -4, on_hand_after: 6, lot: 'LOT-7', po_number: null, reason: null },
      { type: 'move', leg: 1, location: to, qty_delta: 4, on_hand_after: 4, lot: 'LOT-7', po_number: null, reason: null },
      { type: 'count', leg: 0, location: to, qty_delta: 1, on_hand_after: 5, lot: null, po_number: null, reason: null },
      {
        type: 'adjust',
        leg: 0,
        location: from,
        qty_delta: -1,
        on_hand_after: 5,
        lot: 'LOT-7',
        po_number: null,
        reason: 'damaged in handling',
      },
    ])
    const held = await inspect.rows<{ event_id: string; reason_code: string; status: string }>(
      'SELECT event_id, reason_code, status FROM held_events',
    )
    expect(held).toEqual([{ event_id: events[2]!.eventId, reason_code: 'INSUFFICIENT_STOCK', status: 'pending' }])

    // The lot keeps its expiry and PO wherever it goes; the count's surplus is in the unnamed lot.
    const lots = await inspect.rows(
      `SELECT l.code AS location, t.lot_code, DATE_FORMAT(t.expiry, '%Y-%m-%d') AS expiry, t.qty, t.po_number
       FROM lots t JOIN locations l ON l.id = t.location_id ORDER BY l.code, t.lot_code`,
    )
    expect(lots).toEqual([
      { location: from, lot_code: 'LOT-7', expiry: '2027-12-31', qty: 5, po_number: 'PO-123' },
      { location: to, lot_code: '', expiry: null, qty: 1, po_number: null },
      { location: to, lot_code: 'LOT-7', expiry: '2027-12-31', qty: 4, po_number: 'PO-123' },
    ])
    expect(await inspect.rows('SELECT qty_ordered, qty_received FROM po_lines')).toEqual([{ qty_ordered: 12, qty_received: 10 }])

    expect(await inspect.inconsistencies()).toEqual([])
    expect(await inspect.cache.read(SITE, sku)).toEqual({
      site: SITE,
      sku,
      onHand: 10,
      reserved: 0,
      available: 10,
      locations: { [from]: { onHand: 5, reserved: 0, available: 5 }, [to]: { onHand: 5, reserved: 0, available: 5 } },
    })

    // The device's bookkeeping follows within a flush interval.
    await eventually(
      'device bookkeeping',
      async () => {
        const [row] = await inspect.rows<{ last_device_seq: number }>('SELECT last_device_seq FROM devices WHERE id = ?', [device.deviceId])
        return Number(row?.last_device_seq) === events.at(-1)!.deviceSeq
      },
      5000,
    )

    // Every committed change is a delta on the stream, numbered without gaps.
    const deltas = await inspect.redis.xRange(inspect.cache.keys.stream(SITE), '-', '+')
    const seqs = deltas.map((d) => (JSON.parse(d.message.m!) as { seq: number }).seq)
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1))
    expect(JSON.parse(deltas.at(-1)!.message.m!).data).toMatchObject({ sku, onHand: 10 })
  })
})
