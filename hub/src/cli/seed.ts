import { and, inArray, isNull, sql } from 'drizzle-orm'
import { loadConfig } from '../config.ts'
import { runStatements } from '../db/statements.ts'
import { inTransaction } from '../db/transaction.ts'
import { openingStock } from '../stock/ledger-writes.ts'
import { devices, locations, productGtins, products, sites } from '../db/schema/index.ts'
import { DEMO_SITE, demoDevices, demoLocations, demoProducts, demoPurchaseOrders } from '../demo/demo-warehouse.ts'
import { createDeviceRegistry } from '../devices/device-registry.ts'
import { loadCache, readCacheLevels } from '../live/cache-rebuild.ts'
import { createPoRepository } from '../purchasing/po-repository.ts'
import { openServices } from '../services.ts'
import { cliLog } from './cli-usage.ts'

/**
 * `npm run seed`: the demo warehouse. Catalog rows are upserted; opening stock is received
 * through the ledger (so stock = sum of ledger holds from the start) only into an empty warehouse.
 */
const config = loadConfig()
const services = await openServices(config, cliLog(config), { poolSize: 2, migrate: false })
const { pool, db } = services.database
try {
  const productRows = demoProducts()
  await db.insert(sites).ignore().values({ code: DEMO_SITE, name: 'Demo warehouse' })
  await db
    .insert(products)
    .values(productRows.map(({ gtin: _gtin, ...p }) => p))
    .onDuplicateKeyUpdate({ set: { name: sql`VALUES(name)` } })
  const ids = new Map((await db.select({ id: products.id, sku: products.sku }).from(products)).map((p) => [p.sku, p.id]))
  await db
    .insert(productGtins)
    .ignore()
    .values(productRows.map((p) => ({ gtin: p.gtin, productId: ids.get(p.sku)! })))
  await db
    .insert(locations)
    .values(demoLocations().map((l) => ({ ...l, site: DEMO_SITE })))
    .onDuplicateKeyUpdate({ set: { zone: sql`VALUES(zone)` } })
  await db
    .insert(devices)
    .values(demoDevices().map((d) => ({ ...d, site: DEMO_SITE })))
    .onDuplicateKeyUpdate({ set: { site: sql`VALUES(site)` } })
  console.log(
    `catalog: ${productRows.length} products, ${demoLocations().length} locations at site ${DEMO_SITE}, ${demoDevices().length} devices`,
  )
  // A demo device gets a signing secret once, printed here; a later seed leaves it alone (rotate to get a new one).
  const registry = createDeviceRegistry({ db, box: services.secretBox })
  const unsigned = await db
    .select({ id: devices.id })
    .from(devices)
    .where(
      and(
        isNull(devices.secretSealed),
        inArray(
          devices.id,
          demoDevices().map((d) => d.id),
        ),
      ),
    )
  for (const { id } of unsigned) {
    const { secret } = await registry.rotate(id, 'seed')
    console.log(`device ${id}: signing secret ${secret} (shown once; npm run devices:rotate -- --id ${id} for a new one)`)
  }

  const [[{ n }]] = (await pool.query('SELECT COUNT(*) AS n FROM stock_movements')) as unknown as [[{ n: number }]]
  if (n > 0) {
    console.log('opening stock: skipped, the ledger already has movements')
  } else {
    // Each product at one of the pick faces A-01..A-04, a quantity from its id.
    const [rows] = (await pool.query(
      `SELECT p.id AS productId, l.id AS locationId, 20 + (p.id * 13) % 80 AS qty
       FROM products p JOIN locations l ON l.site = ? AND l.code = CONCAT('A-0', 1 + p.id % 4)`,
      [DEMO_SITE],
    )) as unknown as [{ productId: number; locationId: number; qty: number }[]]
    await inTransaction(pool, (conn) =>
      runStatements(
        conn,
        openingStock(
          rows.map((r) => ({ ...r, qty: Number(r.qty) })),
          'seed',
        ),
      ),
    )
    console.log('opening stock: received at the pick faces')
  }

  // Through the PO repository, so each is audited like an admin's; one already there is left as it is.
  const purchaseOrders = createPoRepository(pool)
  let created = 0
  for (const po of demoPurchaseOrders()) {
    if (await purchaseOrders.get(po.poNumber)) continue
    await purchaseOrders.create({ ...po, actor: 'seed' })
    created++
  }
  console.log(`purchase orders: ${created} open POs created, ${demoPurchaseOrders().length - created} already there`)

  // Loaded and marked as hubs load it, so a hub starting next does not load it all again.
  const loaded = await loadCache(services.redis, services.liveCache, await readCacheLevels(pool))
  console.log(`live cache: ${loaded} stock levels loaded`)
} finally {
  await services.close()
}
