import type { Pool } from 'mysql2/promise'
import type { Queryable } from '../db/connection.ts'
import { devices, lots as lotsTable, products, reservations, stockLevels, stockMovements } from '../db/schema/index.ts'
import { columns, type Aggregate, type Packet, type Row } from '../db/typed-rows.ts'
import { inSnapshot } from '../db/transaction.ts'
import { levelKey } from '../stock/stock-level.ts'
import { readLedgerSums, type LedgerSum, type LevelPair } from './ledger-checkpoints.ts'

/**
 * The products one step of a run covers: a range of ids (full runs walk them) or a list
 * (incremental), whose `levels` may name the only locations of a product to check (the levels
 * that changed; a product not named there is checked at every location). With a `horizon`,
 * the named levels' ledger is read from their checkpoints on (see ledger-checkpoints.ts).
 */
export type ProductSlice =
  { from: number; to: number } | { ids: number[]; skus?: Map<number, string>; levels?: Map<number, number[]>; horizon?: string }

/** A stock level with what its sources of truth say (or a level's worth of ledger, reservations or lots without a row). */
export interface LevelState {
  productId: number
  locationId: number
  hasLevel: boolean
  onHand: number
  reserved: number
  version: number
  /** Changed in the last few seconds: a cache without it may only be waiting for its publish. */
  recent: boolean
  /** Sum of the ledger's deltas: the truth for on_hand. */
  ledger: number
  /** Sum of the active reservations: the truth for reserved. */
  active: number
  /** Sum of the level's lots; must equal on_hand. */
  lots: number
  /** Whether its sums were read: a level of a product that changed elsewhere is read for the cache check only. */
  inScope: boolean
}

export const isDiscrepant = (l: LevelState) => l.inScope && (l.onHand !== l.ledger || l.reserved !== l.active || l.onHand !== l.lots)

/** A level's sum (of the ledger, active reservations or lots), by the level's two columns. */
const LEVEL_OF = ['productId', 'locationId'] as const
type SumRow = Row<typeof stockMovements, (typeof LEVEL_OF)[number]> & Aggregate<'n'>

const where = (slice: ProductSlice, column = 'product_id'): [string, unknown[]] =>
  'ids' in slice ? [`${column} IN (?)`, [slice.ids]] : [`${column} BETWEEN ? AND ?`, [slice.from, slice.to]]
type Part = [string, unknown[]]

/** Where the sums are read: the whole products, and the single levels (`pairs`) of the others. */
function sumParts(slice: ProductSlice): { whole: Part[]; single: Part[]; pairs: LevelPair[] } {
  if (!('ids' in slice)) return { whole: [where(slice)], single: [], pairs: [] }
  const partial = slice.levels
  const whole = partial ? slice.ids.filter((id) => !partial.has(id)) : slice.ids
  const pairs = partial ? [...partial].flatMap(([productId, locations]) => locations.map((l): LevelPair => [productId, l])) : []
  return {
    whole: whole.length > 0 ? [['product_id IN (?)', [whole]]] : [],
    single: pairs.length > 0 ? [['(product_id, location_id) IN (?)', [pairs]]] : [],
    pairs,
  }
}

/** A part split in two, for two connections. */
function halves([cond, params]: Part): Part[] {
  if (params.length === 2) {
    const [from, to] = params as [number, number]
    const mid = Math.floor((from + to) / 2)
    return [
      [cond, [from, mid]],
      [cond, [mid + 1, to]],
    ]
  }
  const list = params[0] as unknown[]
  const mid = Math.ceil(list.length / 2)
  return [list.slice(0, mid), list.slice(mid)].filter((h) => h.length > 0).map((h): Part => [cond, [h]])
}
const isEmpty = (slice: ProductSlice) => 'ids' in slice && slice.ids.length === 0

/** The slice's products (every one, stock or not), by id. */
export async function readProducts(pool: Pool, slice: ProductSlice): Promise<Map<number, string>> {
  if ('skus' in slice && slice.skus) return slice.skus
  if (isEmpty(slice)) return new Map()
  const [cond, params] = where(slice, 'id')
  const [rows] = await pool.query<Row<typeof products, 'id' | 'sku'>[]>(
    `SELECT ${columns(products, ['id', 'sku'])} FROM products WHERE ${cond}`,
    params,
  )
  return new Map(rows.map((r) => [r.id, r.sku]))
}

/**
 * Every level of the slice with its ledger sum, active reservations and lots, read by four
 * statements at once (the ledger summed through its covering index, never touching its rows)
 * and joined here, with the ledger sums that move checkpoints on (a slice with a horizon).
 * Statements on different connections see different moments, so a level changing meanwhile may
 * look discrepant: `recheck` reads such levels again in one snapshot.
 */
export async function readLevelStates(db: Queryable, slice: ProductSlice): Promise<{ states: LevelState[]; checkpoints: LedgerSum[] }> {
  if (isEmpty(slice)) return { states: [], checkpoints: [] }
  const [cond, params] = where(slice)
  const { whole, single, pairs } = sumParts(slice)
  const parts = [...whole, ...single]
  const horizon = 'ids' in slice ? slice.horizon : undefined
  const query = <R extends Packet<object>>(sql: string, values: unknown[]) => db.query<R[]>(sql, values).then(([rows]) => rows)
  const sums = (sql: (c: string) => string) => Promise.all(parts.map(([c, p]) => query<SumRow>(sql(c), p))).then((r) => r.flat())
  // The single levels' ledger from their checkpoints; the whole products' (and a full run's) from the start.
  const ledgerParts = horizon ? whole : parts
  const [levels, ledgerRows, checkpoints, active, lots] = await Promise.all([
    query<Row<typeof stockLevels, 'productId' | 'locationId' | 'onHand' | 'reserved' | 'version'> & Packet<{ recent: number }>>(
      `SELECT ${columns(stockLevels, ['productId', 'locationId', 'onHand', 'reserved', 'version'])},
              updated_at >= NOW(3) - INTERVAL 5 SECOND AS recent
       FROM stock_levels WHERE ${cond}`,
      params,
    ),
    // The ledger is most of a full run's work: its halves are summed on two connections (two cores).
    Promise.all(
      ledgerParts
        .flatMap(halves)
        .map(([c, p]) =>
          query<SumRow>(
            `SELECT ${columns(stockMovements, LEVEL_OF)}, SUM(qty_delta) AS n FROM stock_movements WHERE ${c} GROUP BY product_id, location_id`,
            p,
          ),
        ),
    ).then((r) => r.flat()),
    horizon ? readLedgerSums(db, pairs, horizon) : [],
    sums(
      (c) =>
        `SELECT ${columns(reservations, LEVEL_OF)}, SUM(qty) AS n FROM reservations WHERE status = 'active' AND ${c} GROUP BY product_id, location_id`,
    ),
    sums((c) => `SELECT ${columns(lotsTable, LEVEL_OF)}, SUM(qty) AS n FROM lots WHERE ${c} GROUP BY product_id, location_id`),
  ])
  const partial = 'ids' in slice ? slice.levels : undefined
  const scoped = (productId: number, locationId: number) => !partial?.has(productId) || partial.get(productId)!.includes(locationId)
  const states = new Map<string, LevelState>()
  const state = (productId: number, locationId: number) => {
    const key = levelKey(productId, locationId)
    let s = states.get(key)
    if (!s) {
      s = {
        productId,
        locationId,
        hasLevel: false,
        onHand: 0,
        reserved: 0,
        version: 0,
        recent: false,
        ledger: 0,
        active: 0,
        lots: 0,
        inScope: true,
      }
      states.set(key, s)
    }
    return s
  }
  for (const r of levels)
    Object.assign(state(r.productId, r.locationId), {
      hasLevel: true,
      onHand: r.onHand,
      reserved: r.reserved,
      version: Number(r.version),
      recent: Boolean(r.recent),
      inScope: scoped(r.productId, r.locationId),
    })
  for (const r of ledgerRows) state(r.productId, r.locationId).ledger = Number(r.n)
  for (const c of checkpoints) state(c.productId, c.locationId).ledger = c.sum
  for (const r of active) state(r.productId, r.locationId).active = Number(r.n)
  for (const r of lots) state(r.productId, r.locationId).lots = Number(r.n)
  return { states: [...states.values()], checkpoints }
}

/**
 * The levels that still differ when read again, all in one snapshot on one connection. Every
 * writer changes a level with its ledger, reservations and lots in one transaction, so a live
 * update cannot show up here; at 1,000 events/s, 2% of an incremental run's levels (223 of 9,980)
 * looked discrepant in the step's reads, and each was locked against the scans to be re-checked.
 * Without a `horizon` the ledger is summed whole (a dry run reports what it finds as it is).
 */
export async function recheck(pool: Pool, suspects: LevelState[], horizon?: string): Promise<LevelState[]> {
  if (suspects.length === 0) return []
  const levels = new Map<number, number[]>()
  for (const l of suspects) levels.set(l.productId, [...(levels.get(l.productId) ?? []), l.locationId])
  const slice: ProductSlice = { ids: [...levels.keys()], levels, ...(horizon ? { horizon } : {}) }
  const { states } = await inSnapshot(pool, (conn) => readLevelStates(conn, slice))
  return states.filter(isDiscrepant)
}

/** Report only: devices whose settled deviceSeqs (ledger and held events) have holes, or whose last_device_seq disagrees. */
export async function checkDeviceSequences(pool: Pool) {
  const [rows] = await pool.query<(Row<typeof devices, 'id' | 'lastDeviceSeq'> & Aggregate<'max_seq' | 'seqs'>)[]>(
    `SELECT ${columns(devices, ['id', 'lastDeviceSeq'], 'd')}, s.max_seq, s.seqs FROM devices d LEFT JOIN (
       SELECT device_id, MAX(seq) AS max_seq, COUNT(DISTINCT seq) AS seqs FROM (
         SELECT device_id, device_seq AS seq FROM stock_movements WHERE leg = 0 AND device_id IS NOT NULL AND device_seq IS NOT NULL
         UNION ALL
         SELECT device_id, CAST(JSON_VALUE(payload, '$.event.deviceSeq') AS UNSIGNED) FROM held_events WHERE device_id IS NOT NULL
       ) AS settled GROUP BY device_id
     ) AS s ON s.device_id = d.id`,
  )
  // Sequences start at 1, so a device that settled seqs 1..max without a hole has max of them.
  const withGaps = rows.filter((r) => r.max_seq !== null && Number(r.seqs) < Number(r.max_seq)).map((r) => r.id)
  const lastSeqMismatch = rows.filter((r) => Number(r.lastDeviceSeq) !== Number(r.max_seq ?? 0)).map((r) => r.id)
  return { checked: rows.length, withGaps, lastSeqMismatch }
}
