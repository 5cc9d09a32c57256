import { execFile } from 'node:child_process'
import { writeFile, mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectDatabase, ensureDatabase } from '../../hub/src/db/connection.ts'
import { runMigrations } from '../../hub/src/db/migrate.ts'
import { openInspector, type Inspector } from '../helpers/inspect.ts'
import { createTestEnv } from '../helpers/test-env.ts'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const env = createTestEnv('importcli')
let inspect: Inspector

/** `npm run import -- ...` as a user runs it, with no hub running: its exit code and output. */
async function importCli(...args: string[]) {
  const run = promisify(execFile)(process.execPath, ['--import', 'tsx', 'hub/src/cli/import.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env.processEnv({ MIGRATE_ON_START: false }) },
  })
  return run.then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, stdout: err.stdout, stderr: err.stderr }),
  )
}

beforeAll(async () => {
  // An empty warehouse: the tables, nothing in them.
  const url = env.env.MYSQL_URL!
  await ensureDatabase(url)
  const database = connectDatabase(url, 1)
  await runMigrations(database, url)
  await database.pool.end()
  inspect = await openInspector(env)
})
afterAll(async () => {
  await inspect?.close()
  await env.cleanup()
})

describe('npm run import', () => {
  it('loads the demo warehouse from its CSV files and its opening stock through the partitions, with no hub running', async () => {
    const { code, stdout } = await importCli('all', 'demo/warehouse', '--actor', 'ci')
    expect(code).toBe(0)
    expect(stdout).toMatch(/products: 60 rows applied/)
    expect(stdout).toMatch(/stock: 62 rows through the partitions as counts/)
    const [counts] = await inspect.rows<Record<string, number>>(`SELECT
      (SELECT COUNT(*) FROM products) AS products,
      (SELECT COUNT(*) FROM product_gtins WHERE qty = 12) AS cases,
      (SELECT reservable FROM locations WHERE code = 'SHIP-1') AS shipReservable,
      (SELECT COUNT(*) FROM stock_movements WHERE triggered_by = 'import') AS movements,
      (SELECT SUM(on_hand) FROM stock_levels) AS onHand`)
    expect(counts).toEqual({ products: 60, cases: 10, shipReservable: 0, movements: 62, onHand: '3666' })
    expect(await inspect.inconsistencies()).toEqual([])
  })

  it('refuses a bad file with its problems on stderr and exit code 1', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'import-'))
    await writeFile(join(dir, 'stock.csv'), 'site,location,sku,qty\ndc1,A-01,SKU-01S,-4\n')
    const { code, stderr } = await importCli('stock', join(dir, 'stock.csv'), '--dry-run')
    expect(code).toBe(1)
    expect(stderr).toMatch(/refused: 1 problem, nothing was written\n {2}stock:2 qty INVALID_FIELD must be >= 0/)
  })
})
