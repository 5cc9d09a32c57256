import { readFile } from 'node:fs/promises'
import { ImportKinds } from '@wh/shared'
import { isImportKind, readImportFolder } from '../import/import-files.ts'
import { cliUsage } from './cli-usage.ts'
import { runImport, withImporter } from './import-runner.ts'

const USAGE = `usage: npm run import -- <kind> <file> [--dry-run] [--actor NAME]
       npm run import -- all <folder> [--dry-run] [--actor NAME]

  kind     ${ImportKinds.join(', ')} (the CSV formats: docs/setup-warehouse.md)
  all      every <kind>.csv in the folder, checked together and applied in that order
  --dry-run  list every problem by line and column; write nothing
  --actor    who is importing, for the audit log (default: cli)

Exit code 0 when applied (or a dry run found nothing), 1 when refused or failed.`

const usage = cliUsage(
  USAGE,
  { 'dry-run': { type: 'boolean', default: false }, actor: { type: 'string', default: 'cli' } },
  { positionals: true },
)
const { values: args, positionals } = usage
const [kind, path] = positionals
if (!kind || !path || positionals.length > 2) usage.fail('expected a kind and a file')
if (kind !== 'all' && !isImportKind(kind!)) usage.fail(`unknown kind ${kind}`)
// A file or folder that cannot be read is a bad argument like any other.
const files = await (
  kind === 'all' ? readImportFolder(path!) : readFile(path!).then((data) => [{ kind: kind as (typeof ImportKinds)[number], data }])
).catch((err: Error) => usage.fail(`cannot read ${path}: ${err.message}`))
if (files.length === 0) usage.fail(`no ${ImportKinds.map((k) => `${k}.csv`).join(', ')} in ${path}`)
const actor = args.actor

const ok = await withImporter((service) => runImport(service, files, { dryRun: args['dry-run'], actor }))
process.exit(ok ? 0 : 1)
