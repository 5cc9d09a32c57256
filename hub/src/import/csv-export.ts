import { PassThrough, Transform, type Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { stringify } from 'csv-stringify'
import type { Pool } from 'mysql2/promise'
import type { ImportKind } from '@wh/shared'
import type { reorderThresholds } from '../db/schema/index.ts'
import type { Row } from '../db/typed-rows.ts'

type Value = string | number | boolean | Date | null | Record<string, number>
type Query = { sql: string; values: unknown[] }

/**
 * CSV of a query's rows, streamed from MySQL through the stringifier: the rows are never all in
 * memory. `escapeFormulas` for free text people typed, which a spreadsheet must not run as a
 * formula (the catalog's files leave it off: they import back as they are).
 */
export function streamCsv(
  pool: Pool,
  query: Query,
  header: string[],
  row: (r: Record<string, Value>) => Value[] = Object.values,
  { escapeFormulas = false } = {},
): Readable {
  const out = new PassThrough()
  const cast = { boolean: (b: boolean) => String(b), date: (d: Date) => d.toISOString() }
  const csv = stringify({ header: true, columns: header, cast, escape_formulas: escapeFormulas })
  // The callback pool's query streams (mysql2's promise wrapper reads whole results); the
  // connection goes back to the pool once the stream ends or fails.
  pool.pool.getConnection((err, conn) => {
    if (err) return out.destroy(err)
    const rows = conn.query(query.sql, query.values).stream({ highWaterMark: 1000 })
    const toCells = new Transform({
      objectMode: true,
      transform: (r, _enc, next) => {
        // A row that cannot be written fails the stream (and so the response), never stalls it.
        try {
          next(null, row(r as Record<string, Value>))
        } catch (err) {
          next(err as Error)
        }
      },
    })
    pipeline(rows, toCells, csv, out)
      .catch((e: Error) => out.destroy(e))
      .finally(() => conn.release())
  })
  return out
}

const forSites = (sites: readonly string[] | null, column: string) =>
  sites ? { where: ` AND ${column} IN (?)`, values: [sites] } : { where: '', values: [] }

/**
 * The catalog in the import's own formats (an exported file imports back unchanged), sites and
 * locations limited to `sites` when the reader's key is. Products carry a `reorder_threshold@<site>`
 * column for every site with its own thresholds.
 */
export async function exportCatalog(pool: Pool, kind: Exclude<ImportKind, 'stock'>, sites: readonly string[] | null): Promise<Readable> {
  switch (kind) {
    case 'sites': {
      const f = forSites(sites, 'code')
      return streamCsv(
        pool,
        {
          sql: `SELECT code, name, IF(active, 'true', 'false') AS active FROM sites WHERE 1 = 1${f.where} ORDER BY code`,
          values: f.values,
        },
        ['code', 'name', 'active'],
      )
    }
    case 'locations': {
      const f = forSites(sites, 'site')
      return streamCsv(
        pool,
        {
          sql: `SELECT site, code, zone, IF(pickable, 'true', 'false') AS pickable, IF(reservable, 'true', 'false') AS reservable, IF(active, 'true', 'false') AS active FROM locations
            WHERE 1 = 1${f.where} ORDER BY site, code`,
          values: f.values,
        },
        ['site', 'code', 'zone', 'pickable', 'reservable', 'active'],
      )
    }
    case 'gtins':
      return streamCsv(
        pool,
        {
          sql: `SELECT p.sku, g.gtin, g.qty FROM product_gtins g JOIN products p ON p.id = g.product_id ORDER BY p.sku, g.qty, g.gtin`,
          values: [],
        },
        ['sku', 'gtin', 'qty'],
      )
    case 'products': {
      const [rows] = await pool.query<Row<typeof reorderThresholds, 'site'>[]>('SELECT DISTINCT site FROM reorder_thresholds ORDER BY site')
      const thresholdSites = rows.map((r) => r.site)
      return streamCsv(
        pool,
        {
          sql: `SELECT p.sku, p.name, p.unit, p.reorder_threshold, IF(p.active, 'true', 'false') AS active,
              (SELECT JSON_OBJECTAGG(t.site, t.threshold) FROM reorder_thresholds t WHERE t.product_id = p.id) AS thresholds
            FROM products p ORDER BY p.sku`,
          values: [],
        },
        ['sku', 'name', 'unit', 'reorder_threshold', 'active', ...thresholdSites.map((s) => `reorder_threshold@${s}`)],
        ({ thresholds, ...p }) => {
          // The driver parses a JSON column itself; a server that answers it as text leaves a string.
          const bySite = (typeof thresholds === 'string' ? JSON.parse(thresholds) : (thresholds ?? {})) as Record<string, number>
          return [...Object.values(p), ...thresholdSites.map((s) => bySite[s] ?? null)]
        },
      )
    }
  }
}

/** A site's stock levels: on hand, reserved, and available (what an order could reserve: none at an unreservable location). */
export function exportLevels(pool: Pool, site: string): Readable {
  return streamCsv(
    pool,
    {
      sql: `SELECT l.site, l.code AS location, l.zone, p.sku, s.on_hand, s.reserved, IF(l.reservable, s.on_hand - s.reserved, 0) AS available
        FROM stock_levels s JOIN locations l ON l.id = s.location_id JOIN products p ON p.id = s.product_id
        WHERE l.site = ? ORDER BY l.code, p.sku`,
      values: [site],
    },
    ['site', 'location', 'zone', 'sku', 'on_hand', 'reserved', 'available'],
  )
}

/** The ledger's rows created in [from, to), oldest first, limited to `sites` when the reader's key is. */
export function exportLedger(pool: Pool, from: Date, to: Date, sites: readonly string[] | null): Readable {
  const f = forSites(sites, 'l.site')
  return streamCsv(
    pool,
    {
      sql: `SELECT m.id, m.created_at, m.event_id, m.leg, m.type, l.site, l.code AS location, p.sku, m.qty_delta, m.on_hand_after, m.lot,
          m.device_id, m.order_id, m.po_number, m.triggered_by, m.reason
        FROM stock_movements m JOIN locations l ON l.id = m.location_id JOIN products p ON p.id = m.product_id
        WHERE m.created_at >= ? AND m.created_at < ?${f.where} ORDER BY m.id`,
      values: [from, to, ...f.values],
    },
    [
      'id',
      'created_at',
      'event_id',
      'leg',
      'type',
      'site',
      'location',
      'sku',
      'qty_delta',
      'on_hand_after',
      'lot',
      'device_id',
      'order_id',
      'po_number',
      'triggered_by',
      'reason',
    ],
  )
}
