import type { PoolConnection } from 'mysql2/promise'
import { products as productsTable } from '../db/schema/index.ts'
import type { Statement } from '../db/statements.ts'
import { columns, type Row } from '../db/typed-rows.ts'
import type { ImportPlan } from './import-check.ts'
import type { ImportRecords } from './row-check.ts'

/** Rows per multi-row statement: a few hundred kilobytes, well inside max_allowed_packet. */
const CHUNK = 5000

const chunks = <T>(rows: T[]): T[][] =>
  Array.from({ length: Math.ceil(rows.length / CHUNK) }, (_, i) => rows.slice(i * CHUNK, (i + 1) * CHUNK))

interface Upsert<R> {
  table: string
  /** Column, the record member it comes from, and its value when the cell is empty. */
  columns: [column: string, field: string, fallback: unknown][]
  /** The natural key's columns: never updated. */
  key: string[]
  value?: (record: R, field: string) => unknown
}

/**
 * Multi-row INSERT ... ON DUPLICATE KEY UPDATE of the columns the file has: a column the file
 * leaves out keeps what the database has; an empty cell is the column's default.
 */
function upserts<R extends object>(spec: Upsert<R>, records: R[], fields: Set<string> | undefined): Statement[] {
  const present = spec.columns.filter(([column, field]) => spec.key.includes(column) || fields?.has(field))
  const updated = present.filter(([column]) => !spec.key.includes(column))
  const value = spec.value ?? ((r: R, field: string) => (r as Record<string, unknown>)[field])
  const update =
    updated.length > 0 ? updated.map(([c]) => `\`${c}\` = VALUES(\`${c}\`)`).join(', ') : `\`${spec.key[0]}\` = \`${spec.key[0]}\``
  return chunks(records).map((rows) => ({
    sql: `INSERT INTO \`${spec.table}\` (${present.map(([c]) => `\`${c}\``).join(', ')}) VALUES ? ON DUPLICATE KEY UPDATE ${update}`,
    values: [rows.map((r) => present.map(([, field, fallback]) => value(r, field) ?? fallback))],
  }))
}

const records = <K extends keyof ImportRecords>(plan: ImportPlan, kind: K): ImportRecords[K][] =>
  (plan[kind] as unknown as { record: ImportRecords[K] }[]).map((r) => r.record)

/**
 * The catalog rows of an import, upserted by their natural keys (site code, site and location
 * code, SKU, GTIN): set-based, a few statements per five thousand rows. GTINs and per-site
 * thresholds name products by id, so they are written once the products are, on the same
 * connection, in the caller's transaction.
 */
export async function writeCatalog(conn: PoolConnection, plan: ImportPlan, run: (s: Statement[]) => Promise<unknown>) {
  await run([
    ...upserts(
      {
        table: 'sites',
        key: ['code'],
        columns: [
          ['code', 'code', null],
          ['name', 'name', null],
          ['active', 'active', true],
        ],
      },
      records(plan, 'sites'),
      plan.fields.sites,
    ),
    ...upserts(
      {
        table: 'locations',
        key: ['site', 'code'],
        columns: [
          ['site', 'site', null],
          ['code', 'code', null],
          ['zone', 'zone', ''],
          ['pickable', 'pickable', true],
          ['reservable', 'reservable', true],
          ['active', 'active', true],
        ],
      },
      records(plan, 'locations'),
      plan.fields.locations,
    ),
    ...upserts(
      {
        table: 'products',
        key: ['sku'],
        columns: [
          ['sku', 'sku', null],
          ['name', 'name', null],
          ['unit', 'unit', 'ea'],
          ['reorder_threshold', 'reorderThreshold', 0],
          ['active', 'active', true],
        ],
      },
      records(plan, 'products'),
      plan.fields.products,
    ),
  ])
  const skus = [...new Set([...records(plan, 'gtins').map((g) => g.sku), ...records(plan, 'products').map((p) => p.sku)])]
  const ids = await productIds(conn, skus)
  const products = records(plan, 'products')
  await run([
    ...upserts<ImportRecords['gtins']>(
      {
        table: 'product_gtins',
        key: ['gtin'],
        columns: [
          ['gtin', 'gtin', null],
          ['product_id', 'sku', null],
          ['qty', 'qty', 1],
        ],
        value: (r, field) => (field === 'sku' ? ids.get(r.sku) : r[field as keyof typeof r]),
      },
      records(plan, 'gtins'),
      new Set(['sku', 'qty']),
    ),
    ...(plan.thresholdSites.length > 0 ? siteThresholds(products, plan.thresholdSites, ids) : []),
  ])
}

/** A file with per-site columns is the truth for those sites: their overrides are replaced, an empty cell removes one. */
function siteThresholds(products: ImportRecords['products'][], sites: string[], ids: Map<string, number>): Statement[] {
  const rows = products.flatMap((p) => Object.entries(p.siteThresholds ?? {}).map(([site, threshold]) => [ids.get(p.sku), site, threshold]))
  return [
    ...chunks(products).map((part) => ({
      sql: 'DELETE FROM reorder_thresholds WHERE site IN (?) AND product_id IN (?)',
      values: [sites, part.map((p) => ids.get(p.sku))],
    })),
    ...chunks(rows).map((part) => ({ sql: 'INSERT INTO reorder_thresholds (product_id, site, threshold) VALUES ?', values: [part] })),
  ]
}

/** SKU to product id, for the SKUs given, in chunks. */
export async function productIds(conn: Pick<PoolConnection, 'query'>, skus: string[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>()
  for (const part of chunks(skus)) {
    const [rows] = await conn.query<Row<typeof productsTable, 'id' | 'sku'>[]>(
      `SELECT ${columns(productsTable, ['id', 'sku'])} FROM products WHERE sku IN (?)`,
      [part],
    )
    for (const r of rows) ids.set(r.sku, r.id)
  }
  return ids
}
