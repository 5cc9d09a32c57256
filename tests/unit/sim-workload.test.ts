import { describe, expect, it } from 'vitest'
import { decodeBarcode, gs1CheckDigit } from '@wh/shared'
import { seededRandom } from '../../devices/src/sim/seeded-random.ts'
import { createWorkload, type Catalog } from '../../devices/src/sim/workload.ts'

const catalog: Catalog = {
  site: 'dc1',
  products: Array.from({ length: 60 }, (_, i) => ({ sku: `SKU-${i}`, gtin: null })),
  locations: [
    { code: 'DOCK-1', zone: 'receiving' },
    ...['A-01', 'A-02', 'A-03'].map((code) => ({ code, zone: 'pick-face' })),
    ...['B-01', 'B-02', 'C-01'].map((code) => ({ code, zone: 'reserve' })),
    { code: 'SHIP-1', zone: 'shipping' },
  ],
}

/** Plays 5,000 scans against a plain stock model, as the hub would apply them (no POs, no lots). */
function play(seed: number) {
  const workload = createWorkload(catalog, seededRandom(seed))
  const stock = new Map<string, number>()
  const at = (sku: string, loc: string) => stock.get(`${sku}@${loc}`) ?? 0
  const put = (sku: string, loc: string, qty: number) => stock.set(`${sku}@${loc}`, qty)
  const tally = {
    short: { pick: 0, move: 0, adjust: 0 },
    done: { pick: 0, move: 0 },
    kinds: {} as Record<string, number>,
    places: new Set<string>(),
  }
  for (let i = 0; i < 5000; i++) {
    const s = workload.next()
    tally.kinds[s.type] = (tally.kinds[s.type] ?? 0) + 1
    if (!catalog.products.some((p) => p.sku === s.barcode) || !catalog.locations.some((l) => l.code === s.location)) continue
    const have = at(s.barcode, s.location)
    const qty = s.qty ?? 0
    if (s.type === 'receive') put(s.barcode, s.location, have + qty)
    else if (s.type === 'count') put(s.barcode, s.location, qty)
    else if (s.type === 'adjust') {
      if (have + qty < 0) tally.short.adjust++
      else put(s.barcode, s.location, have + qty)
    } else if (have < qty) tally.short[s.type as 'pick' | 'move']++
    else {
      tally.done[s.type as 'pick' | 'move']++
      tally.places.add(`${s.type} ${s.location}${s.toLocation ? ` -> ${s.toLocation}` : ''}`)
      put(s.barcode, s.location, have - qty)
      if (s.toLocation) put(s.barcode, s.toLocation, at(s.barcode, s.toLocation) + qty)
    }
  }
  return tally
}

describe('the simulator workload', () => {
  const tally = play(7)

  it('picks and moves where its own earlier scans put stock, so only the deliberate short picks come up short', () => {
    expect(tally.short.move).toBe(0)
    expect(tally.short.adjust).toBe(0)
    expect(tally.done.pick).toBeGreaterThan(1000)
    // About 5% of picks are made blind, as a floor has short picks for an admin to look at.
    expect(tally.short.pick / (tally.short.pick + tally.done.pick)).toBeGreaterThan(0.02)
    expect(tally.short.pick / (tally.short.pick + tally.done.pick)).toBeLessThan(0.1)
  })

  it('follows the floor: picks at pick faces, putaway from the dock, replenishment from reserve, nothing to or from shipping', () => {
    const places = [...tally.places]
    expect(places.filter((p) => p.startsWith('pick')).every((p) => /^pick A-0\d$/.test(p))).toBe(true)
    expect(places.filter((p) => p.startsWith('move')).every((p) => /^move (DOCK-1 -> [ABC]-0\d|[BC]-0\d -> A-0\d)$/.test(p))).toBe(true)
    expect(places.some((p) => p.startsWith('move B-') || p.startsWith('move C-'))).toBe(true)
  })

  it('is the same stream for the same seed', () => {
    const a = createWorkload(catalog, seededRandom(3))
    const b = createWorkload(catalog, seededRandom(3))
    expect(Array.from({ length: 200 }, () => a.next())).toEqual(Array.from({ length: 200 }, () => b.next()))
  })
})

describe('the simulator workload with pack GTINs', () => {
  const gtin = (indicator: number, i: number) => {
    const body = `${indicator}0950601${String(i).padStart(5, '0')}`
    return `${body}${gs1CheckDigit(body)}`
  }
  const packed: Catalog = {
    ...catalog,
    products: catalog.products.map((p, i) => ({
      sku: p.sku,
      gtin: gtin(0, i),
      gtins: [
        { gtin: gtin(0, i), qty: 1 },
        { gtin: gtin(1, i), qty: 12 },
      ],
    })),
  }

  it('receives pallets of cases on valid SSCC labels whose count agrees with the qty, and scans units by the unit GTIN', () => {
    const workload = createWorkload(packed, seededRandom(11), 0)
    const scans = Array.from({ length: 2000 }, () => workload.next())
    const decoded = scans.map((s) => decodeBarcode(s.barcode))
    const pallets = decoded.flatMap((d, i) => (d.ok && d.value.contentGtin ? [{ label: d.value, qty: scans[i]!.qty }] : []))
    expect(pallets.length).toBeGreaterThan(20)
    for (const { label, qty } of pallets) {
      expect(label.sscc).toMatch(/^\d{18}$/)
      expect(label.contentGtin!.startsWith('1')).toBe(true)
      expect(label.qty).toBe(qty)
    }
    // Everything else names a unit: by its unit GTIN or SKU, never a case GTIN.
    expect(decoded.every((d) => d.ok && !d.value.gtin?.startsWith('1'))).toBe(true)
  })
})
