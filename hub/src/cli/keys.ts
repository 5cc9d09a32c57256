import { ApiRoles, type ApiKeyInfo, type ApiRole } from '@wh/shared'
import { createApiKeyStore } from '../auth/api-key-store.ts'
import { cliUsage, runToExit } from './cli-usage.ts'
import { openDatabaseServices } from '../services.ts'

const USAGE = `npm run keys -- <command> [options]   (straight to the database, MYSQL_URL)
  create --name NAME --role viewer|orders|admin|metrics [--sites dc1,dc2]
                       prints the new key once; --sites limits an orders/viewer key to those sites
  list                 every key with its prefix, role, sites, last use, revocation
  revoke <id|prefix>   running hubs refuse the key within API_KEY_CACHE_MS (5 s by default)
  --actor NAME         who makes the change, for the audit log (default: cli)
  --json               print the result as JSON (create: {key, info})
  --quiet              create: print only the key (for scripts)`

const {
  values: a,
  positionals,
  fail,
  configOrExit,
} = cliUsage(
  USAGE,
  {
    name: { type: 'string' },
    role: { type: 'string' },
    sites: { type: 'string' },
    actor: { type: 'string', default: 'cli' },
    json: { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
  },
  { positionals: true },
)
const [command, target] = positionals
if (!command || !['create', 'list', 'revoke'].includes(command)) fail(`unknown command: ${command ?? '(none)'}`)
if (command === 'create' && !/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(a.name ?? ''))
  fail('--name is required: letters, digits, _ . - (64 at most)')
if (command === 'create' && !ApiRoles.includes(a.role as ApiRole)) fail(`--role is one of ${ApiRoles.join(', ')}`)
if (command === 'revoke' && !target) fail('revoke needs a key id or prefix')
const sites = a.sites
  ?.split(',')
  .map((s) => s.trim())
  .filter(Boolean)
if (sites?.some((s) => !/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(s))) fail('--sites is a comma-separated list of site ids')

const config = configOrExit()
const services = await openDatabaseServices(config, { poolSize: 1, migrate: false })
const store = createApiKeyStore(services.database.db)

const describe = (k: ApiKeyInfo) =>
  [
    `${k.id}`.padStart(4),
    k.prefix,
    k.role.padEnd(7),
    k.name,
    k.sites ? `sites ${k.sites.join(',')}` : 'all sites',
    k.lastUsedAt ? `last used ${k.lastUsedAt}` : 'never used',
    k.revokedAt ? `REVOKED ${k.revokedAt}` : '',
  ]
    .filter(Boolean)
    .join('  ')

await runToExit(
  async () => {
    if (command === 'create') {
      const issued = await store.create({ name: a.name!, role: a.role as ApiRole, ...(sites?.length ? { sites } : {}) }, a.actor)
      if (a.quiet) console.log(issued.key)
      else if (a.json) console.log(JSON.stringify(issued, null, 2))
      else {
        console.log(`created ${describe(issued.info)}`)
        console.log(`key (shown this once; the hub keeps only its hash): ${issued.key}`)
      }
    } else if (command === 'revoke') {
      const info = await store.revoke(target!, a.actor)
      console.log(a.json ? JSON.stringify(info, null, 2) : describe(info))
      if (!a.json) console.error(`running hubs refuse it within ${config.API_KEY_CACHE_MS} ms`)
    } else {
      const keys = await store.list()
      console.log(a.json ? JSON.stringify(keys, null, 2) : keys.map(describe).join('\n') || 'no API keys')
    }
  },
  () => services.close(),
)
