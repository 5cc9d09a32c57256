import { Compile } from 'typebox/compile'
import {
  gs1CheckDigit,
  hasValidCheckDigit,
  type ImportKind,
  type Location,
  type OpeningStock,
  type Product,
  type ProductGtin,
  type Site,
} from '@wh/shared'
import { CSV_FORMATS, cellValue } from './csv-formats.ts'
import type { CsvRow, Problems } from './csv-read.ts'

/** What a row of each kind is, once its cells passed the catalog's schema. */
export interface ImportRecords {
  sites: Site
  locations: Location
  products: Omit<Product, 'gtins'>
  gtins: ProductGtin & { sku: string }
  stock: OpeningStock
}

const checkers = Object.fromEntries(Object.entries(CSV_FORMATS).map(([kind, f]) => [kind, Compile(f.schema)])) as Record<
  ImportKind,
  ReturnType<typeof Compile>
>

/** The record a row's cells stand for, unchecked: numbers and booleans read as such, per-site columns gathered. */
function recordOf(kind: ImportKind, row: CsvRow): Record<string, unknown> {
  const { columns, perSite } = CSV_FORMATS[kind]
  const record: Record<string, unknown> = {}
  for (const [name, text] of row.cells) {
    const column = columns.find((c) => c.name === name)
    if (column) record[column.field] = cellValue(text, column.type)
    else if (perSite && name.startsWith(perSite.prefix)) {
      const bySite = (record[perSite.field] ??= {}) as Record<string, unknown>
      bySite[name.slice(perSite.prefix.length)] = cellValue(text, perSite.type)
    }
  }
  for (const c of columns) if (c.fallback !== undefined) record[c.field] ??= c.fallback
  return record
}

/** The column a schema error's path names: `/reorderThreshold` is reorder_threshold, `/siteThresholds/dc2` reorder_threshold@dc2. */
function columnOf(kind: ImportKind, path: string): string | undefined {
  const { columns, perSite } = CSV_FORMATS[kind]
  const [field, key] = path.split('/').slice(1)
  if (perSite && field === perSite.field && key !== undefined) return `${perSite.prefix}${key}`
  return columns.find((c) => c.field === field)?.name
}

/**
 * One row checked on its own, as the API checks the same record: each bad cell is reported with
 * its column (all of them, not only the first); a GTIN's check digit is verified and the GTIN
 * padded to 14 digits. Returns the record, or undefined when the row has a problem.
 */
export function checkRow<K extends ImportKind>(kind: K, row: CsvRow, problem: Problems): ImportRecords[K] | undefined {
  const record = recordOf(kind, row)
  const reasons = new Map<string, string[]>()
  // Errors() only for a row that fails: listing them costs several times the check.
  for (const error of checkers[kind].Check(record) ? [] : checkers[kind].Errors(record)) {
    const missing = (error.params as { requiredProperties?: string[] }).requiredProperties
    const columns = missing ? missing.map((f) => columnOf(kind, `/${f}`)) : [columnOf(kind, error.instancePath)]
    for (const column of columns) {
      const reason = missing ? 'is empty' : error.message
      const list = reasons.get(column ?? '') ?? reasons.set(column ?? '', []).get(column ?? '')!
      if (!list.includes(reason)) list.push(reason)
    }
  }
  for (const [column, list] of reasons)
    problem({ line: row.line, ...(column ? { column } : {}), code: 'INVALID_FIELD', reason: list.join('; ') })
  if (reasons.size > 0) return undefined
  if (kind === 'gtins') {
    const gtin = record.gtin as string
    if (!hasValidCheckDigit(gtin)) {
      problem({
        line: row.line,
        column: 'gtin',
        code: 'BAD_CHECK_DIGIT',
        reason: `${gtin}: its check digit should be ${gs1CheckDigit(gtin.slice(0, -1))}`,
      })
      return undefined
    }
    record.gtin = gtin.padStart(14, '0')
  }
  return record as ImportRecords[K]
}
