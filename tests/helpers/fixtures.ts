import { gs1CheckDigit, type ApiRole } from '@wh/shared'
import { createApiKeyStore } from '../../hub/src/auth/api-key-store.ts'
import { connectDatabase, ensureDatabase, type Database } from '../../hub/src/db/connection.ts'
import { runMigrations } from '../../hub/src/db/migrate.ts'
import { devices, locations, productGtins, products, sites } from '../../hub/src/db/schema/index.ts'
import { resolveHubKey } from '../../hub/src/devices/hub-key.ts'
import { createSecretBox } from '../../hub/src/devices/secret-box.ts'
import { testDeviceSecret } from './device-secrets.ts'
import type { TestEnv } from './test-env.ts'

export const SITE = 'site1'

export const gtinFor = (n: number) => {
  const body = `0950601${String(n).padStart(5, '0')}`
  return `0${body}${gs1CheckDigit(body)}`
}

/** One API key per role, made with the fixture: tests call the API and sockets as a real client would. */
export type FixtureKeys = Record<ApiRole, string>

export interface Fixture {
  skus: string[]
  gtins: string[]
  locations: string[]
  devices: string[]
  keys: FixtureKeys
}

/** The header that authenticates a request with `key`. */
export const bearer = (key: string) => ({ authorization: `Bearer ${key}` })

/** Registers devices at a site, each with its `testDeviceSecret` sealed with the test hub's key. */
async function registerDevices(env: TestEnv, db: Database['db'], site: string, ids: string[]) {
  if (ids.length === 0) return
  const box = createSecretBox(resolveHubKey(env.config().HUB_SECRET_KEY).key)
  await db
    .insert(devices)
    .values(ids.map((id) => ({ id, site, secretSealed: box.seal(testDeviceSecret(id), id), secretRotatedAt: new Date() })))
}

/** A site for a test of several: its locations (reservable unless said) and devices. */
export interface SiteSeed {
  code: string
  locations: { code: string; zone?: string; reservable?: boolean }[]
  devices?: string[]
}

/** Adds a site (or, for one that exists, more locations and devices) to a seeded test database. */
export async function seedSite(env: TestEnv, seed: SiteSeed): Promise<void> {
  const database = connectDatabase(env.env.MYSQL_URL!, 2)
  try {
    await database.db
      .insert(sites)
      .ignore()
      .values({ code: seed.code, name: `Site ${seed.code}` })
    await database.db.insert(locations).values(seed.locations.map((l) => ({ site: seed.code, ...l })))
    await registerDevices(env, database.db, seed.code, seed.devices ?? [])
  } finally {
    await database.pool.end()
  }
}

/**
 * Migrates the test database and registers products, locations and devices (each with its
 * `testDeviceSecret`, sealed with the test hub's key) and an API key per role; no stock.
 */
export async function seedFixture(env: TestEnv, counts = { products: 10, locations: 3, devices: 4 }): Promise<Fixture> {
  const url = env.env.MYSQL_URL!
  await ensureDatabase(url)
  const database = connectDatabase(url, 2)
  try {
    await runMigrations(database, url)
    const fixture: Fixture = {
      skus: Array.from({ length: counts.products }, (_, i) => `P-${i + 1}`),
      gtins: Array.from({ length: counts.products }, (_, i) => gtinFor(i + 1)),
      locations: Array.from({ length: counts.locations }, (_, i) => `L-${i + 1}`),
      devices: Array.from({ length: counts.devices }, (_, i) => `D-${i + 1}`),
      keys: {} as FixtureKeys,
    }
    const keyStore = createApiKeyStore(database.db)
    for (const role of ['admin', 'orders', 'viewer', 'metrics'] as const) {
      fixture.keys[role] = (await keyStore.create({ name: `test-${role}`, role }, 'fixture')).key
    }
    await database.db.insert(sites).values({ code: SITE, name: 'Test site' })
    await database.db.insert(products).values(fixture.skus.map((sku) => ({ sku, name: `Product ${sku}` })))
    const ids = await database.db.select({ id: products.id, sku: products.sku }).from(products)
    const idOf = new Map(ids.map((p) => [p.sku, p.id]))
    await database.db.insert(productGtins).values(fixture.skus.map((sku, i) => ({ gtin: fixture.gtins[i]!, productId: idOf.get(sku)! })))
    await database.db.insert(locations).values(fixture.locations.map((code) => ({ code, site: SITE })))
    await registerDevices(env, database.db, SITE, fixture.devices)
    return fixture
  } finally {
    await database.pool.end()
  }
}
