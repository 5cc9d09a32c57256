import { ImportKinds, type ImportKind, type ImportProblem } from '@wh/shared'
import { CSV_FORMATS } from './csv-formats.ts'
import { readCsv, type CsvRow } from './csv-read.ts'
import { locationKey, type KnownCatalog } from './known-catalog.ts'
import { checkRow, type ImportRecords } from './row-check.ts'

/** One file of an import. */
export interface ImportFile {
  kind: ImportKind
  data: Buffer
}

/**
 * The checked rows of an import, by kind, each with its line; the record members each file's
 * header has, so an upsert sets only those; and the sites a products file has threshold columns for.
 */
export type ImportPlan = { [K in ImportKind]: { line: number; record: ImportRecords[K] }[] } & {
  fields: Partial<Record<ImportKind, Set<string>>>
  thresholdSites: string[]
}

export interface ImportCheck {
  problems: ImportProblem[]
  plan: ImportPlan
}

/** The key a row must not share with another row of its file, and how that key is named. */
const UNIQUE: { [K in ImportKind]: (r: ImportRecords[K]) => [key: string, named: string] } = {
  sites: (r) => [r.code, `site ${r.code}`],
  locations: (r) => [locationKey(r.site, r.code), `location ${r.code} at ${r.site}`],
  products: (r) => [r.sku, `SKU ${r.sku}`],
  gtins: (r) => [r.gtin, `GTIN ${r.gtin}`],
  stock: (r) => [[r.site, r.location, r.sku, r.lot ?? ''].join('|'), `${r.sku} in lot "${r.lot ?? ''}" at ${r.location}, ${r.site}`],
}

type Problem = (p: Omit<ImportProblem, 'kind'>) => void

/** A reference to the catalog that must resolve: known, and active. */
function refer(problem: Problem, line: number, column: string, what: string, known: boolean | undefined, code: ImportProblem['code']) {
  if (known === undefined) problem({ line, column, code, reason: `${what} is neither in the catalog nor earlier in this import` })
  else if (!known) problem({ line, column, code: 'INACTIVE', reason: `${what} is deactivated` })
  return known === true
}

/** Whether a row's references resolve; a good row also becomes known to the rows and files after it. */
function resolveRow<K extends ImportKind>(kind: K, rec: ImportRecords[K], line: number, known: KnownCatalog, problem: Problem): boolean {
  const site = (code: string, column = 'site') => refer(problem, line, column, `site ${code}`, known.sites.get(code), 'UNKNOWN_SITE')
  const sku = (code: string) => refer(problem, line, 'sku', `SKU ${code}`, known.products.get(code)?.active, 'UNKNOWN_SKU')
  switch (kind) {
    case 'sites': {
      const r = rec as ImportRecords['sites']
      known.sites.set(r.code, r.active ?? known.sites.get(r.code) ?? true)
      return true
    }
    case 'locations': {
      const r = rec as ImportRecords['locations']
      if (!site(r.site)) return false
      const key = locationKey(r.site, r.code)
      known.locations.set(key, { id: known.locations.get(key)?.id ?? 0, active: r.active ?? known.locations.get(key)?.active ?? true })
      return true
    }
    case 'products': {
      const r = rec as ImportRecords['products']
      const sites = Object.keys(r.siteThresholds ?? {}).map((s) => site(s, `reorder_threshold@${s}`))
      if (sites.includes(false)) return false
      known.products.set(r.sku, { id: known.products.get(r.sku)?.id ?? 0, active: r.active ?? known.products.get(r.sku)?.active ?? true })
      return true
    }
    case 'gtins': {
      const r = rec as ImportRecords['gtins']
      if (!sku(r.sku)) return false
      const owner = known.gtins.get(r.gtin)
      if (owner !== undefined && owner !== r.sku) {
        problem({ line, column: 'gtin', code: 'GTIN_TAKEN', reason: `GTIN ${r.gtin} already scans as ${owner}` })
        return false
      }
      known.gtins.set(r.gtin, r.sku)
      return true
    }
    case 'stock': {
      const r = rec as ImportRecords['stock']
      const where = `location ${r.location} at ${r.site}`
      const ok = [site(r.site), sku(r.sku)]
      if (ok[0])
        ok.push(refer(problem, line, 'location', where, known.locations.get(locationKey(r.site, r.location))?.active, 'UNKNOWN_LOCATION'))
      return !ok.includes(false)
    }
  }
  return false
}

/** The references of a row refused for its fields, checked where their own cells are sound, so every problem of the row is listed. */
function badRowReferences(kind: ImportKind, row: CsvRow, bad: Set<string>, known: KnownCatalog, problem: Problem) {
  const cell = (column: string) => (bad.has(column) ? undefined : row.cells.get(column))
  const [site, sku, location] = [cell('site'), cell('sku'), kind === 'stock' ? cell('location') : undefined]
  if (site !== undefined && kind !== 'sites') refer(problem, row.line, 'site', `site ${site}`, known.sites.get(site), 'UNKNOWN_SITE')
  if (sku !== undefined) refer(problem, row.line, 'sku', `SKU ${sku}`, known.products.get(sku)?.active, 'UNKNOWN_SKU')
  if (location !== undefined && site !== undefined && known.sites.has(site)) {
    const where = `location ${location} at ${site}`
    refer(problem, row.line, 'location', where, known.locations.get(locationKey(site, location))?.active, 'UNKNOWN_LOCATION')
  }
}

/**
 * Checks every row of every file of an import, in kind order (sites, locations, products, GTINs,
 * opening stock), each against the catalog as the database has it plus the files before it.
 * Every problem is listed, by kind, line and column; nothing is written. `known` is added to.
 */
export async function checkImport(files: ImportFile[], known: KnownCatalog): Promise<ImportCheck> {
  const problems: ImportProblem[] = []
  const plan = { sites: [], locations: [], products: [], gtins: [], stock: [], fields: {}, thresholdSites: [] } as ImportPlan
  for (const kind of ImportKinds) {
    for (const file of files.filter((f) => f.kind === kind)) {
      const problem: Problem = (p) => problems.push({ kind, ...p })
      const firstLine = new Map<string, number>()
      const fields = (plan.fields[kind] ??= new Set())
      const rows = plan[kind] as { line: number; record: ImportRecords[typeof kind] }[]
      const header = (names: string[]) => {
        const { columns, perSite } = CSV_FORMATS[kind]
        for (const name of names) {
          const column = columns.find((c) => c.name === name)
          if (column) fields.add(column.field)
          else if (perSite && name.startsWith(perSite.prefix)) {
            fields.add(perSite.field)
            plan.thresholdSites.push(name.slice(perSite.prefix.length))
          }
        }
      }
      for await (const row of readCsv(kind, file.data, problem, header)) {
        const bad = new Set<string>()
        const record = checkRow(kind, row, (p) => {
          if (p.column) bad.add(p.column)
          problem(p)
        })
        if (!record) {
          badRowReferences(kind, row, bad, known, problem)
          continue
        }
        const [key, named] = (UNIQUE[kind] as (r: ImportRecords[typeof kind]) => [string, string])(record)
        const first = firstLine.get(key)
        if (first !== undefined) {
          problem({ line: row.line, code: 'DUPLICATE_ROW', reason: `${named} is also on line ${first}` })
          continue
        }
        firstLine.set(key, row.line)
        if (!resolveRow(kind, record, row.line, known, problem)) continue
        rows.push({ line: row.line, record })
      }
    }
  }
  problems.sort((a, b) => ImportKinds.indexOf(a.kind) - ImportKinds.indexOf(b.kind) || a.line - b.line)
  return { problems, plan }
}
