import { describe, expect, it } from 'vitest'
import { gs1CheckDigit, type Ack, type ScanEvent } from '@wh/shared'
import { useScenario } from '../helpers/scenario.ts'
import { SITE } from '../helpers/fixtures.ts'

const s = useScenario('pack-gtins', { products: 1, locations: 2, devices: 1 })

const withCheckDigit = (body: string) => `${body}${gs1CheckDigit(body)}`
const sscc = (serial: number) => withCheckDigit(`0095060100${String(serial).padStart(7, '0')}`)

const scan = (events: ScanEvent[]): Promise<Ack[]> => s.devices[0]!.send(events)

describe('pack GTINs and pallet labels move count x pack units', () => {
  it('receives a case of 12 as 12 and a pallet of 4 cases as 48, counts, adjusts and moves in cases', async () => {
    const device = s.devices[0]!
    const { gtins, skus, locations } = s.fixture
    const [a, b] = locations as [string, string]
    const unit = gtins[0]!
    // The case's GTIN-14: indicator digit 1 before the unit's company prefix and item reference.
    const kase = withCheckDigit(`1${unit.slice(1, 13)}`)
    await s.inspect.db.query(`INSERT INTO product_gtins (gtin, product_id, qty) SELECT ?, id, 12 FROM products WHERE sku = ?`, [
      kase,
      skus[0],
    ])

    const acks = await scan([
      device.event({ type: 'receive', barcode: kase, location: a }),
      device.event({ type: 'receive', barcode: `(00)${sscc(1)}(02)${kase}(37)4`, location: a }),
      device.event({ type: 'receive', barcode: `]C101${unit}375`, location: a }),
      device.event({ type: 'count', barcode: kase, location: a, qty: 6 }),
      device.event({ type: 'adjust', barcode: kase, location: a, qty: -1, reason: 'case crushed' }),
      device.event({ type: 'move', barcode: kase, location: a, toLocation: b, qty: 2 }),
      device.event({ type: 'receive', barcode: `(00)${sscc(2)}(02)${kase}(37)4`, location: a, qty: 5 }),
      device.event({ type: 'receive', barcode: `(00)${sscc(3)}(02)${kase}(37)83334`, location: a }),
    ])
    expect(acks.map((x) => [x.status, x.code ?? null, x.onHand ?? null])).toEqual([
      ['applied', null, 12],
      ['applied', null, 60],
      ['applied', null, 65],
      ['applied', null, 72],
      ['applied', null, 60],
      ['applied', null, 36],
      ['rejected', 'QTY_MISMATCH', null],
      ['rejected', 'QTY_OUT_OF_RANGE', null],
    ])

    const ledger = await s.inspect.rows(
      `SELECT m.type, l.code AS location, m.qty_delta, m.on_hand_after
       FROM stock_movements m JOIN locations l ON l.id = m.location_id ORDER BY m.id`,
    )
    expect(ledger).toEqual([
      { type: 'receive', location: a, qty_delta: 12, on_hand_after: 12 },
      { type: 'receive', location: a, qty_delta: 48, on_hand_after: 60 },
      { type: 'receive', location: a, qty_delta: 5, on_hand_after: 65 },
      { type: 'count', location: a, qty_delta: 7, on_hand_after: 72 },
      { type: 'adjust', location: a, qty_delta: -12, on_hand_after: 60 },
      { type: 'move', location: a, qty_delta: -24, on_hand_after: 36 },
      { type: 'move', location: b, qty_delta: 24, on_hand_after: 24 },
    ])
    expect(await s.inspect.levels()).toEqual([
      { site: SITE, sku: skus[0], location: a, onHand: 36, reserved: 0 },
      { site: SITE, sku: skus[0], location: b, onHand: 24, reserved: 0 },
    ])
    // Ledger = levels = lots = cache.
    expect(await s.inspect.inconsistencies()).toEqual([])
    expect(await s.inspect.cache.read(SITE, skus[0]!)).toMatchObject({ onHand: 60 })
  })
})
