import { pipeline } from 'node:stream/promises'
import { openDatabaseServices } from '../services.ts'
import { exportCatalog, exportLedger, exportLevels } from '../import/csv-export.ts'
import { cliUsage, runToExit } from './cli-usage.ts'

const USAGE = `usage: npm run --silent export -- catalog [--kind sites|locations|products|gtins] > file.csv
       npm run --silent export -- levels --site SITE > levels.csv
       npm run --silent export -- ledger --from TIME --to TIME > ledger.csv

  catalog  in the import's own format (products unless --kind), so the file imports back unchanged
  levels   a site's stock levels: on hand, reserved, available
  ledger   the movements created in [from, to), ISO 8601 times (2026-12-01T00:00:00Z)

CSV goes to stdout, streamed from the database.`

const usage = cliUsage(
  USAGE,
  {
    kind: { type: 'string', default: 'products' },
    site: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
  },
  { positionals: true },
)
const { values: args, positionals } = usage
const [what] = positionals
const kinds = ['sites', 'locations', 'products', 'gtins'] as const
const kind = kinds.find((k) => k === args.kind) ?? usage.fail(`unknown --kind ${args.kind}`)
const time = (name: 'from' | 'to') => {
  const at = new Date(args[name] ?? usage.fail(`ledger needs --${name}`))
  return Number.isNaN(at.getTime()) ? usage.fail(`--${name} is not a time`) : at
}
if (what !== 'catalog' && what !== 'levels' && what !== 'ledger') usage.fail('expected catalog, levels or ledger')
if (what === 'levels' && !args.site) usage.fail('levels needs --site')
const period = what === 'ledger' ? { from: time('from'), to: time('to') } : undefined

// A reader that stops early (`| head`) is not a failure.
process.stdout.on('error', (err: NodeJS.ErrnoException) => (err.code === 'EPIPE' ? process.exit(0) : undefined))
const services = await openDatabaseServices(usage.configOrExit(), { poolSize: 1, migrate: false })
const { pool } = services.database
await runToExit(async () => {
  const csv =
    what === 'catalog'
      ? await exportCatalog(pool, kind, null)
      : what === 'levels'
        ? exportLevels(pool, args.site!)
        : exportLedger(pool, period!.from, period!.to, null)
  await pipeline(csv, process.stdout)
}, services.close)
