import type { Pool, RowDataPacket } from 'mysql2/promise'

/** The products one step of a run covers: a range of ids (full runs walk them) or a list (incremental). */
export type ProductSlice = { from: number; to: number } | { ids: number[] }

/** A stock level (or a level's worth of ledger, reservations or lots without one) that disagrees somewhere. */
export interface LevelFinding {
  productId: number
  locationId: number
  hasLevel: boolean
  onHand: number
  reserved: number
  /** Sum of the ledger's deltas: the truth for on_hand. */
  ledger: number
  /** Sum of the active reservations: the truth for reserved. */
  active: number
  /** Sum of the level's lots; must equal on_hand. */
  lots: number
}

export const levelKey = (f: { productId: number; locationId: number }) => `${f.productId}:${f.locationId}`

const where = (slice: ProductSlice): [string, unknown[]] =>
  'ids' in slice ? ['product_id IN (?)', [slice.ids]] : ['product_id BETWEEN ? AND ?', [slice.from, slice.to]]

/**
 * Every level of the slice whose on_hand differs from its ledger sum, whose reserved differs
 * from its active reservations, or whose lots do not add up to its on_hand, in one statement.
 * Each source is summed per level (the ledger through its covering index, without touching its
 * rows) and the sums meet in one GROUP BY, so a level missing from stock_levels while the ledger,
 * reservations or lots still hold something is found too. One statement reads one snapshot, and
 * every writer changes a level and its ledger, reservations and lots in one transaction, so a
 * live update never shows up as a discrepancy here. No locks are taken.
 */
export async function findLevelDrift(pool: Pool, slice: ProductSlice): Promise<LevelFinding[]> {
  const [cond, params] = where(slice)
  if ('ids' in slice && slice.ids.length === 0) return []
  const [rows] = await pool.query<RowDataPacket[]>(
    `SELECT product_id, location_id, SUM(lv) AS n_level, SUM(on_hand) AS s_on_hand, SUM(reserved) AS s_reserved,
       SUM(ledger) AS s_ledger, SUM(active) AS s_active, SUM(lots) AS s_lots
     FROM (
       SELECT product_id, location_id, 1 AS lv, on_hand, reserved, 0 AS ledger, 0 AS active, 0 AS lots
         FROM stock_levels WHERE ${cond}
       UNION ALL
       SELECT product_id, location_id, 0, 0, 0, SUM(qty_delta), 0, 0
         FROM stock_movements WHERE ${cond} GROUP BY product_id, location_id
       UNION ALL
       SELECT product_id, location_id, 0, 0, 0, 0, SUM(qty), 0
         FROM reservations WHERE status = 'active' AND ${cond} GROUP BY product_id, location_id
       UNION ALL
       SELECT product_id, location_id, 0, 0, 0, 0, 0, SUM(qty)
         FROM lots WHERE ${cond} GROUP BY product_id, location_id
     ) AS sums
     GROUP BY product_id, location_id
     HAVING s_on_hand <> s_ledger OR s_reserved <> s_active OR s_on_hand <> s_lots
     ORDER BY product_id, location_id`,
    [...params, ...params, ...params, ...params],
  )
  return rows.map((r) => ({
    productId: r.product_id,
    locationId: r.location_id,
    hasLevel: Number(r.n_level) > 0,
    onHand: Number(r.s_on_hand),
    reserved: Number(r.s_reserved),
    ledger: Number(r.s_ledger),
    active: Number(r.s_active),
    lots: Number(r.s_lots),
  }))
}

/** A level as the cache should hold it. */
export interface DbLevel {
  productId: number
  sku: string
  location: string
  onHand: number
  reserved: number
  version: number
}

/** The slice's products with their levels (for the cache check): every product, levels or not. */
export async function readLevels(pool: Pool, slice: ProductSlice): Promise<{ skus: Map<number, string>; levels: DbLevel[] }> {
  if ('ids' in slice && slice.ids.length === 0) return { skus: new Map(), levels: [] }
  const [cond, params] = where(slice)
  const [products, levels] = await Promise.all([
    pool.query<RowDataPacket[]>(`SELECT id, sku FROM products WHERE ${cond.replace('product_id', 'id')}`, params),
    pool.query<RowDataPacket[]>(
      `SELECT s.product_id, l.code, s.on_hand, s.reserved, s.version FROM stock_levels s
       JOIN locations l ON l.id = s.location_id WHERE s.${cond}`,
      params,
    ),
  ])
  const skus = new Map(products[0].map((r) => [r.id as number, r.sku as string]))
  return {
    skus,
    levels: levels[0].map((r) => ({
      productId: r.product_id,
      sku: skus.get(r.product_id) ?? '',
      location: r.code,
      onHand: r.on_hand,
      reserved: r.reserved,
      version: Number(r.version),
    })),
  }
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
