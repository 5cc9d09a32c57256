import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import mysql from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventually } from '../helpers/eventually.ts'
import { seedFixture } from '../helpers/fixtures.ts'
import { freePort } from '../helpers/free-port.ts'
import { startNodeProcess, type HubProcess } from '../helpers/hub-process.ts'
import { openInspector, type Inspector } from '../helpers/inspect.ts'
import { createScannerKit, type ScannerKit } from '../helpers/scanners.ts'
import { createTestEnv } from '../helpers/test-env.ts'

/**
 * The hub as the image runs it. scripts/build-hub.sh (the Dockerfile's own step) compiles it into
 * a folder of its own and installs its production dependencies there with a real
 * `npm ci --omit=dev`, not a link to this tree's node_modules: a run-time import of a package that
 * is only a dev dependency fails here as it would in the image. `node` runs the JavaScript, no tsx.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const run = promisify(execFile)

const env = createTestEnv('compiled')
// The image's database login: a user of this database alone, its password (with characters a URL
// must encode) in a secret file.
const user = env.database.replace('wh_t_', 'wh_u_')
const password = 'p@ss:w/rd#1'
let dir: string
let hub: HubProcess | undefined
let inspect: Inspector | undefined
let kit: ScannerKit | undefined

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wh-compiled-'))
  // The npm cache serves what this tree already installed; the registry the rest.
  await run('bash', ['scripts/build-hub.sh', dir], {
    cwd: ROOT,
    env: { ...process.env, npm_config_prefer_offline: 'true' },
    maxBuffer: 16 << 20,
  }).catch((err: { stdout?: string; stderr?: string }) => {
    throw new Error(`build-hub.sh failed:\n${err.stdout}\n${err.stderr}`)
  })
  const root = await mysql.createConnection(env.urls.mysql)
  try {
    await root.query('CREATE USER ?@? IDENTIFIED BY ?', [user, '%', password])
    await root.query(`GRANT ALL ON \`${env.database}\`.* TO ?@?`, [user, '%'])
  } finally {
    await root.end()
  }
}, 600_000)

afterAll(async () => {
  await kit?.close()
  await hub?.stop('SIGKILL')
  await inspect?.close()
  await env.cleanup()
  const root = await mysql.createConnection(env.urls.mysql)
  await root.query('DROP USER IF EXISTS ?@?', [user, '%'])
  await root.end()
  await rm(dir, { recursive: true, force: true })
})

describe('the compiled hub, run by node with production dependencies only', () => {
  it('migrates a new database, answers /ready and its healthcheck, applies and acks a scan, and exits 0 on SIGTERM', async () => {
    // Settings as a container gets them, plus a .env in its working directory (which the process
    // reads) pointing at the password file.
    await mkdir(join(dir, 'secrets'))
    await writeFile(join(dir, 'secrets', 'mysql_password'), `${password}\n`)
    await writeFile(join(dir, '.env'), 'MYSQL_PASSWORD_FILE=secrets/mysql_password\nLOG_LEVEL=info\n')
    const url = new URL(`${env.urls.mysql}/${env.database}`)
    url.username = user
    const port = await freePort()
    const { LOG_LEVEL: _fromDotEnv, ...settings } = env.processEnv({ HTTP_PORT: port, MIGRATE_ON_START: true })
    const processEnv = { PATH: process.env.PATH, NODE_OPTIONS: '--conditions=wh-compiled', ...settings, MYSQL_URL: url.href }
    hub = await startNodeProcess(['hub/src/server.js'], { cwd: dir, env: processEnv })

    const ready = await fetch(`http://127.0.0.1:${port}/ready`)
    expect(ready.status, hub.output().slice(-3000)).toBe(200)
    await expect(run(process.execPath, ['hub/src/healthcheck.js'], { cwd: dir, env: processEnv })).resolves.toBeDefined()

    // The compiled hub found its migrations (beside its code) and applied every one.
    inspect = await openInspector(env)
    const journal = JSON.parse(await readFile(join(ROOT, 'hub/migrations/meta/_journal.json'), 'utf8')) as { entries: unknown[] }
    const [applied] = await inspect.rows<{ n: number }>('SELECT COUNT(*) AS n FROM __drizzle_migrations')
    expect(Number(applied!.n)).toBe(journal.entries.length)

    // A catalog and a device, then one real scan through the broker, applied by the hub's worker
    // role (its Lua scripts loaded from beside the compiled code) and acked to the device.
    const fixture = await seedFixture(env, { products: 1, locations: 1, devices: 1 })
    kit = await createScannerKit(env)
    const { client, outcomes } = await kit.start(fixture.devices[0]!)
    const event = await client.scan({ type: 'receive', barcode: fixture.skus[0]!, location: fixture.locations[0]!, qty: 3 })
    await eventually('the scan acked', () => outcomes.length > 0, 30_000)
    expect(outcomes[0]!.ack).toMatchObject({ eventId: event.eventId, status: 'applied', onHand: 3 })
    const ledger = await inspect.rows<{ qty: number }>('SELECT qty_delta AS qty FROM stock_movements WHERE event_id = ?', [event.eventId])
    expect(ledger.map((r) => Number(r.qty))).toEqual([3])

    // node is the process itself, no wrapper: SIGTERM reaches it and it shuts down in order.
    hub.child.kill('SIGTERM')
    expect(await hub.exited, hub.output().slice(-3000)).toBe(0)
  }, 120_000)
})
