import { gs1CheckDigit } from '@wh/shared'
import { connectDatabase, ensureDatabase } from '../../hub/src/db/connection.ts'
import { runMigrations } from '../../hub/src/db/migrate.ts'
import { devices, locations, products } from '../../hub/src/db/schema/index.ts'
import type { TestEnv } from './test-env.ts'

export const SITE = 'site1'

export const gtinFor = (n: number) => {
  const body = `0950601${String(n).padStart(5, '0')}`
  return `0${body}${gs1CheckDigit(body)}`
}

export interface Fixture {
  skus: string[]
  gtins: string[]
  locations: string[]
  devices: string[]
}

/** Migrates the test database and registers products, locations and devices; no stock. */
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
    }
    await database.db.insert(products).values(fixture.skus.map((sku, i) => ({ sku, gtin: fixture.gtins[i]!, name: `Product ${sku}` })))
    await database.db.insert(locations).values(fixture.locations.map((code) => ({ code, site: SITE })))
    if (fixture.devices.length) await database.db.insert(devices).values(fixture.devices.map((id) => ({ id, site: SITE })))
    return fixture
  } finally {
    await database.pool.end()
  }
}
