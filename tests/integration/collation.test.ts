import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { migrate } from 'drizzle-orm/mysql2/migrator'
import mysql, { type Pool, type RowDataPacket } from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCatalogService } from '../../hub/src/catalog/catalog-service.ts'
import { connectDatabase, ensureDatabase } from '../../hub/src/db/connection.ts'
import { runMigrations } from '../../hub/src/db/migrate.ts'
import { createOrderRepository } from '../../hub/src/orders/order-repository.ts'
import { openDatabaseServices, type DatabaseServices } from '../../hub/src/services.ts'
import { createTestEnv, type TestEnv } from '../helpers/test-env.ts'

/**
 * The migrations alone make the hub's text compare exactly, whatever default the database was
 * created with before the hub first ran (docker's MYSQL_DATABASE, a DBA, a managed service).
 */
const MIGRATIONS = fileURLToPath(new URL('../../hub/migrations', import.meta.url))
const COLLATION_MIGRATION = '0011_binary_collation'
const envs: TestEnv[] = []

/** A database made beforehand, as someone other than the hub would make it. */
async function createDatabase(label: string, collation: string) {
  const env = createTestEnv(label)
  envs.push(env)
  const conn = await mysql.createConnection(env.urls.mysql)
  await conn.query(`CREATE DATABASE \`${env.database}\` CHARACTER SET utf8mb4 COLLATE ${collation}`)
  await conn.end()
  return env
}

/** Everything about the hub's tables but the rows: columns with their collation, indexes, foreign keys. */
async function schemaOf(pool: Pool) {
  const rows = async (sql: string) => (await pool.query<RowDataPacket[]>(sql))[0]
  return {
    database: (await rows('SELECT DEFAULT_COLLATION_NAME AS c FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = DATABASE()'))[0]!.c,
    columns: await rows(
      `SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, CHARACTER_SET_NAME, COLLATION_NAME
       FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME <> '__drizzle_migrations'
       ORDER BY TABLE_NAME, ORDINAL_POSITION`,
    ),
    indexes: await rows(
      `SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, SEQ_IN_INDEX, COLUMN_NAME FROM information_schema.STATISTICS
       WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`,
    ),
    foreignKeys: await rows(
      `SELECT TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME, REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME
       FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = DATABASE() AND REFERENCED_TABLE_NAME IS NOT NULL
       ORDER BY TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION`,
    ),
    // The migration's procedure is dropped again.
    routines: await rows('SELECT ROUTINE_NAME FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE()'),
  }
}

/**
 * Each table's InnoDB id, which a rebuild (ALTER TABLE ... CONVERT) changes: read from MariaDB's
 * own dictionary, the database family the hub is tested on.
 */
async function tableIds(pool: Pool) {
  const [rows] = await pool.query<RowDataPacket[]>(
    `SELECT NAME, TABLE_ID FROM information_schema.INNODB_SYS_TABLES WHERE NAME LIKE CONCAT(DATABASE(), '/%') ORDER BY NAME`,
  )
  return rows
}

let reference: DatabaseServices
const opened: DatabaseServices[] = []
const open = async (env: TestEnv) => {
  const services = await openDatabaseServices(env.config(), { poolSize: 2, migrate: true })
  opened.push(services)
  return services
}

beforeAll(async () => {
  // The hub's own way: it creates the database binary, then migrates.
  const env = createTestEnv('collref')
  envs.push(env)
  reference = await open(env)
})
afterAll(async () => {
  for (const services of opened) await services.close()
  for (const env of envs) await env.cleanup()
})

describe.each(['utf8mb4_general_ci', 'utf8mb4_unicode_ci'])('a database created with %s', (collation) => {
  let services: DatabaseServices
  beforeAll(async () => {
    services = await open(await createDatabase('collci', collation))
  })

  it('ends with every text column binary, the database default too, and tables like the hub makes itself', async () => {
    const schema = await schemaOf(services.database.pool)
    expect(schema.database).toBe('utf8mb4_bin')
    const text = schema.columns.filter((c) => c.COLLATION_NAME !== null)
    expect(text.length).toBeGreaterThan(50)
    expect(text.filter((c) => c.COLLATION_NAME !== 'utf8mb4_bin')).toEqual([])
    // Same columns, types, indexes and foreign keys (the ones the conversion had to drop and make again).
    expect(schema).toEqual(await schemaOf(reference.database.pool))
    expect(schema.foreignKeys).toContainEqual(expect.objectContaining({ CONSTRAINT_NAME: 'reservations_order_id_orders_id_fk' }))
  })

  it('keeps SKUs, location codes and idempotency keys that differ only in case or accent apart', async () => {
    const catalog = createCatalogService({ db: services.database.db })
    await catalog.sites.create({ code: 'dc1', name: 'DC 1' }, 'ci')
    await catalog.locations.create('dc1', { code: 'a-01' }, 'ci')
    await catalog.locations.create('dc1', { code: 'A-01' }, 'ci')
    for (const sku of ['abc', 'ABC', 'cafe', 'café']) await catalog.products.create({ sku, name: `named ${sku}` }, 'ci')
    expect((await catalog.locations.list('dc1')).map((l) => l.code)).toEqual(['A-01', 'a-01'])
    expect((await catalog.products.get('ABC')).name).toBe('named ABC')
    expect((await catalog.products.get('café')).name).toBe('named café')

    // An order for stock there is not: refused, and its answer stored under its key.
    const [[product]] = await services.database.pool.query<RowDataPacket[]>("SELECT id FROM products WHERE sku = 'abc'")
    const orders = createOrderRepository(services.database.pool, { idempotencyWaitS: 1 })
    const reserve = (key: string) =>
      orders.reserve(key, 'same-request', 'dc1', [{ sku: 'abc', productId: product!.id, qty: 1 }], 60_000, {
        clientId: 'ci',
      })
    // Under a case-insensitive key the second would replay the first's answer.
    expect(await reserve('Order-Key-1')).toMatchObject({ kind: 'answered' })
    expect(await reserve('order-key-1')).toMatchObject({ kind: 'answered' })
    expect(await reserve('order-key-1')).toMatchObject({ kind: 'replayed' })
  })
})

describe('a database that is binary already', () => {
  it('is not rebuilt: the collation migration changes no table', async () => {
    const env = createTestEnv('collbin')
    envs.push(env)
    const url = env.env.MYSQL_URL!
    await ensureDatabase(url)
    // The migrations before the collation one, from a copy of the folder whose journal ends there.
    const before = await mkdtemp(join(tmpdir(), 'migrations-'))
    await cp(MIGRATIONS, before, { recursive: true })
    const journalFile = join(before, 'meta', '_journal.json')
    const journal = JSON.parse(await readFile(journalFile, 'utf8')) as { entries: { tag: string }[] }
    const at = journal.entries.findIndex((e) => e.tag === COLLATION_MIGRATION)
    expect(at).toBeGreaterThan(0)
    await writeFile(journalFile, JSON.stringify({ ...journal, entries: journal.entries.slice(0, at) }))
    const database = connectDatabase(url, 2)
    try {
      await migrate(database.db, { migrationsFolder: before })
      await rm(before, { recursive: true })
      const ids = await tableIds(database.pool)
      const schema = await schemaOf(database.pool)

      await runMigrations(database, url)
      const [[applied]] = await database.pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM __drizzle_migrations')
      expect(applied!.n).toBe(journal.entries.length)
      expect(ids.length).toBeGreaterThan(20)
      expect(await tableIds(database.pool)).toEqual(ids)
      expect(await schemaOf(database.pool)).toEqual(schema)
    } finally {
      await database.pool.end()
    }
  })
})
