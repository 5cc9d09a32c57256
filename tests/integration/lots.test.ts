import { describe, expect, it } from 'vitest'
import type { Ack, ScanEvent } from '@wh/shared'
import { SITE } from '../helpers/fixtures.ts'
import { useScenario } from '../helpers/scenario.ts'

const s = useScenario('lots', { products: 1, locations: 2, devices: 1 })

const scan = (events: ScanEvent[]): Promise<Ack[]> => s.devices[0]!.send(events)

describe('lots: received from GS1 labels, picked first-expiry-first', () => {
  it('picks FEFO across lots, takes a named lot only from that lot, holds a short one, and moves lots whole', async () => {
    const device = s.devices[0]!
    const { gtins, skus, locations } = s.fixture
    const [a, b] = locations as [string, string]
    const label = (lot: string, expiry: string, qty: number) => `(01)${gtins[0]}(10)${lot}(17)${expiry}(37)${qty}`
    const acks = await scan([
      device.event({ type: 'receive', barcode: label('LATE', '270630', 5), location: a }),
      device.event({ type: 'receive', barcode: label('EARLY', '270331', 5), location: a }),
      device.event({ type: 'receive', barcode: skus[0]!, location: a, qty: 3 }),
      device.event({ type: 'pick', barcode: skus[0]!, location: a, qty: 7 }),
      device.event({ type: 'pick', barcode: skus[0]!, location: a, qty: 3, lot: 'LATE' }),
      device.event({ type: 'pick', barcode: skus[0]!, location: a, qty: 1, lot: 'LATE' }),
      device.event({ type: 'move', barcode: skus[0]!, location: a, toLocation: b, qty: 2 }),
    ])
    expect(acks.map((x) => [x.status, x.code ?? null, x.onHand])).toEqual([
      ['applied', null, 5],
      ['applied', null, 10],
      ['applied', null, 13],
      ['applied', null, 6],
      ['applied', null, 3],
      ['held', 'LOT_SHORT', 3],
      ['applied', null, 1],
    ])

    // The lot ledger says where each unit went: the pick of 7 took EARLY whole, then 2 of LATE. A
    // leg wholly in the unnamed lot (the plain receipt, the move) needs no row.
    const lotLedger = await s.inspect.rows(
      `SELECT m.type, m.leg, t.lot_code, lm.qty_delta FROM lot_movements lm JOIN lots t ON t.id = lm.lot_id
       JOIN stock_movements m ON m.event_id = lm.event_id AND m.leg = lm.leg ORDER BY lm.id`,
    )
    expect(lotLedger).toEqual([
      { type: 'receive', leg: 0, lot_code: 'LATE', qty_delta: 5 },
      { type: 'receive', leg: 0, lot_code: 'EARLY', qty_delta: 5 },
      { type: 'pick', leg: 0, lot_code: 'EARLY', qty_delta: -5 },
      { type: 'pick', leg: 0, lot_code: 'LATE', qty_delta: -2 },
      { type: 'pick', leg: 0, lot_code: 'LATE', qty_delta: -3 },
    ])
    const lots = await s.inspect.rows(
      `SELECT l.code AS location, t.lot_code, DATE_FORMAT(t.expiry, '%Y-%m-%d') AS expiry, t.qty
       FROM lots t JOIN locations l ON l.id = t.location_id ORDER BY l.code, t.lot_code`,
    )
    expect(lots).toEqual([
      { location: a, lot_code: '', expiry: null, qty: 1 },
      { location: a, lot_code: 'EARLY', expiry: '2027-03-31', qty: 0 },
      { location: a, lot_code: 'LATE', expiry: '2027-06-30', qty: 0 },
      { location: b, lot_code: '', expiry: null, qty: 2 },
    ])
    // Ledger = levels = lots = cache for every level.
    expect(await s.inspect.inconsistencies()).toEqual([])
    expect(await s.inspect.cache.read(SITE, skus[0]!)).toMatchObject({ onHand: 3, locations: { [a]: { onHand: 1 }, [b]: { onHand: 2 } } })
  })
})
