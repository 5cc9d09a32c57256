import type { Pool, RowDataPacket } from 'mysql2/promise'
import type { Queryable } from '../db/connection.ts'
import { inSnapshot } from '../db/transaction.ts'
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

export const levelKey = (l: { productId: number; locationId: number }) => `${l.productId}:${l.locationId}`
export const isDiscrepant = (l: LevelState) => l.inScope && (l.onHand !== l.ledger || l.reserved !== l.active || l.onHand !== l.lots)

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
  const [rows] = await pool.query<RowDataPacket[]>(`SELECT id, sku FROM products WHERE ${cond}`, params)
  return new Map(rows.map((r) => [r.id as number, r.sku as string]))
}

/**
 * Every level of the slice with its ledger sum, active reservations and lots (the ledger summed
 * through its covering index, never touching its rows), joined here, with the ledger sums that
 * move checkpoints on (a slice with a horizon).
 *
 * A full run's step reads with four statements at once on different connections (two cores), so
 * a level changing meanwhile may look discrepant: `confirmDrift` or the correction's re-check
 * under the level's lock clears it. An incremental run's levels are the ones changing right now,
 * so its step reads in one snapshot on one connection: otherwise, at 1,000 events/s, a run found
 * 2% of its levels discrepant and locked each of them against the scans to re-check it.
 */
export async function readLevelStates(pool: Pool, slice: ProductSlice): Promise<{ states: LevelState[]; checkpoints: LedgerSum[] }> {
  if (isEmpty(slice)) return { states: [], checkpoints: [] }
  return 'ids' in slice ? inSnapshot(pool, (conn) => readStates(conn, slice)) : readStates(pool, slice)
}

async function readStates(db: Queryable, slice: ProductSlice): Promise<{ states: LevelState[]; checkpoints: LedgerSum[] }> {
  const [cond, params] = where(slice)
  const { whole, single, pairs } = sumParts(slice)
  const parts = [...whole, ...single]
  const horizon = 'ids' in slice ? slice.horizon : undefined
  const query = (sql: string, values: unknown[]) => db.query<RowDataPacket[]>(sql, values).then(([rows]) => rows)
  const sums = (sql: (c: string) => string) => Promise.all(parts.map(([c, p]) => query(sql(c), p))).then((r) => r.flat())
  // The single levels' ledger from their checkpoints; the whole products' (and a full run's) from the start.
  const ledgerParts = horizon ? whole : parts
  const [levels, ledgerRows, checkpoints, active, lots] = await Promise.all([
    query(
      `SELECT product_id, location_id, on_hand, reserved, version, updated_at >= NOW(3) - INTERVAL 5 SECOND AS recent
       FROM stock_levels WHERE ${cond}`,
      params,
    ),
    // The ledger is most of a full run's work: its halves are summed on two connections (two cores).
    Promise.all(
      ledgerParts
        .flatMap(halves)
        .map(([c, p]) =>
          query(`SELECT product_id, location_id, SUM(qty_delta) AS n FROM stock_movements WHERE ${c} GROUP BY product_id, location_id`, p),
        ),
    ).then((r) => r.flat()),
    horizon ? readLedgerSums(db, pairs, horizon) : [],
    sums(
      (c) =>
        `SELECT product_id, location_id, SUM(qty) AS n FROM reservations WHERE status = 'active' AND ${c} GROUP BY product_id, location_id`,
    ),
    sums((c) => `SELECT product_id, location_id, SUM(qty) AS n FROM lots WHERE ${c} GROUP BY product_id, location_id`),
  ])
  const partial = 'ids' in slice ? slice.levels : undefined
  const scoped = (productId: number, locationId: number) => !partial?.has(productId) || partial.get(productId)!.includes(locationId)
  const states = new Map<string, LevelState>()
  const state = (productId: number, locationId: number) => {
    const key = `${productId}:${locationId}`
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
    Object.assign(state(r.product_id, r.location_id), {
      hasLevel: true,
      onHand: r.on_hand,
      reserved: r.reserved,
      version: Number(r.version),
      recent: Boolean(r.recent),
      inScope: scoped(r.product_id, r.location_id),
    })
  for (const r of ledgerRows) state(r.product_id, r.location_id).ledger = Number(r.n)
  for (const c of checkpoints) state(c.productId, c.locationId).ledger = c.sum
  for (const r of active) state(r.product_id, r.location_id).active = Number(r.n)
  for (const r of lots) state(r.product_id, r.location_id).lots = Number(r.n)
  return { states: [...states.values()], checkpoints }
}

/**
 * The given products' discrepant levels, read by one statement: one statement reads one snapshot,
 * and every writer changes a level together with its ledger, reservations and lots in one
 * transaction, so a live update never shows up as a discrepancy here. No locks are taken.
 */
export async function confirmDrift(pool: Pool, productIds: number[]): Promise<LevelState[]> {
  if (productIds.length === 0) return []
  const cond = 'product_id IN (?)'
  const [rows] = await pool.query<RowDataPacket[]>(
    `SELECT product_id, location_id, SUM(lv) AS n_level, SUM(on_hand) AS s_on_hand, SUM(reserved) AS s_reserved,
       MAX(version) AS s_version, SUM(ledger) AS s_ledger, SUM(active) AS s_active, SUM(lots) AS s_lots
     FROM (
       SELECT product_id, location_id, 1 AS lv, on_hand, reserved, version, 0 AS ledger, 0 AS active, 0 AS lots
         FROM stock_levels WHERE ${cond}
       UNION ALL
       SELECT product_id, location_id, 0, 0, 0, 0, SUM(qty_delta), 0, 0
         FROM stock_movements WHERE ${cond} GROUP BY product_id, location_id
       UNION ALL
       SELECT product_id, location_id, 0, 0, 0, 0, 0, SUM(qty), 0
         FROM reservations WHERE status = 'active' AND ${cond} GROUP BY product_id, location_id
       UNION ALL
       SELECT product_id, location_id, 0, 0, 0, 0, 0, 0, SUM(qty)
         FROM lots WHERE ${cond} GROUP BY product_id, location_id
     ) AS sums
     GROUP BY product_id, location_id
     HAVING s_on_hand <> s_ledger OR s_reserved <> s_active OR s_on_hand <> s_lots
     ORDER BY product_id, location_id`,
    [productIds, productIds, productIds, productIds],
  )
  return rows.map((r) => ({
    productId: r.product_id,
    locationId: r.location_id,
    hasLevel: Number(r.n_level) > 0,
    onHand: Number(r.s_on_hand),
    reserved: Number(r.s_reserved),
    version: Number(r.s_version),
    recent: false,
    ledger: Number(r.s_ledger),
    active: Number(r.s_active),
    lots: Number(r.s_lots),
    inScope: true,
  }))
}

/** Report only: devices whose settled deviceSeqs (ledger and held events) have holes, or whose last_device_seq disagrees. */
export async function checkDeviceSequences(pool: Pool) {
  const [rows] = await pool.query<RowDataPacket[]>(
    `SELECT d.id, d.last_device_seq, s.max_seq, s.seqs FROM devices d LEFT JOIN (
       SELECT device_id, MAX(seq) AS max_seq, COUNT(DISTINCT seq) AS seqs FROM (
         SELECT device_id, device_seq AS seq FROM stock_movements WHERE leg = 0 AND device_id IS NOT NULL AND device_seq IS NOT NULL
         UNION ALL
         SELECT device_id, CAST(JSON_VALUE(payload, '$.event.deviceSeq') AS UNSIGNED) FROM held_events WHERE device_id IS NOT NULL
       ) AS settled GROUP BY device_id
     ) AS s ON s.device_id = d.id`,
  )
  // Sequences start at 1, so a device that settled seqs 1..max without a hole has max of them.
  const withGaps = rows.filter((r) => r.max_seq !== null && Number(r.seqs) < Number(r.max_seq)).map((r) => r.id as string)
  const lastSeqMismatch = rows.filter((r) => Number(r.last_device_seq) !== Number(r.max_seq ?? 0)).map((r) => r.id as string)
  return { checked: rows.length, withGaps, lastSeqMismatch }
}
