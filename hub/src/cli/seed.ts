import { and, inArray, isNull, sql } from 'drizzle-orm'
import { devices, products } from '../db/schema/index.ts'
import { DEMO_FOLDER, DEMO_SITE, demoDevices, demoPurchaseOrders } from '../demo/demo-warehouse.ts'
import { createDeviceRegistry } from '../devices/device-registry.ts'
import { readImportFolder } from '../import/import-files.ts'
import { loadCache, readCacheLevels } from '../live/cache-rebuild.ts'
import { createPoRepository } from '../purchasing/po-repository.ts'
import { openServices } from '../services.ts'
import { cliLog, cliUsage } from './cli-usage.ts'
import { runImport, withImporter } from './import-runner.ts'

// The CSV files go through the import as a user's own would, so the same files again change nothing.
const USAGE = `npm run seed
  loads the demo warehouse into the database the settings name (MYSQL_URL, REDIS_URL, REDIS_PREFIX):
  its site, locations, products, GTINs and opening stock from the CSV files of demo/warehouse/,
  its scanners (each new one's signing secret printed once) and open purchase orders.
  Run npm run migrate first. Running it again adds nothing already there.`

const config = cliUsage(USAGE, {}).configOrExit()
const files = await readImportFolder(DEMO_FOLDER)
if (!(await withImporter((service) => runImport(service, files, { dryRun: false, actor: 'seed' })))) process.exit(1)

const services = await openServices(config, cliLog(config), { poolSize: 2, migrate: false })
const { pool, db } = services.database
try {
  await db
    .insert(devices)
    .values(demoDevices().map((d) => ({ ...d, site: DEMO_SITE })))
    .onDuplicateKeyUpdate({ set: { site: sql`VALUES(site)` } })
  console.log(`devices: ${demoDevices().length} at site ${DEMO_SITE}`)
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

  // Through the PO repository, so each is audited like an admin's; one already there is left as it is.
  const skus = (await db.select({ sku: products.sku }).from(products).orderBy(products.id)).map((p) => p.sku)
  const orders = demoPurchaseOrders(skus)
  const purchaseOrders = createPoRepository(pool)
  let created = 0
  for (const po of orders) {
    if (await purchaseOrders.get(po.poNumber)) continue
    await purchaseOrders.create({ ...po, actor: 'seed' })
    created++
  }
  console.log(`purchase orders: ${created} open POs created, ${orders.length - created} already there`)

  // Loaded and marked as hubs load it, so a hub starting next does not load it all again.
  const loaded = await loadCache(services.redis, services.liveCache, await readCacheLevels(pool))
  console.log(`live cache: ${loaded} stock levels loaded`)
} finally {
  await services.close()
}
