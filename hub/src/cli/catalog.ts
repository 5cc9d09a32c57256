import {
  createValidator,
  LocationCreateSchema,
  LocationUpdateSchema,
  ProductGtinSchema,
  ProductSchema,
  ProductUpdateSchema,
  SiteSchema,
  SiteUpdateSchema,
  type LocationCreate,
  type LocationInfo,
  type LocationUpdate,
  type Product,
  type ProductGtin,
  type ProductInfo,
  type ProductUpdate,
  type Site,
  type SiteInfo,
  type SiteUpdate,
} from '@wh/shared'
import type { TSchema } from 'typebox'
import { createCatalogService } from '../catalog/catalog-service.ts'
import { HubError } from '../errors.ts'
import { openDatabaseServices } from '../services.ts'
import { cliUsage, runToExit } from './cli-usage.ts'

const USAGE = `npm run catalog -- <command> [options]   (straight to the database, MYSQL_URL)
  site add <code> --name NAME
  site update <code> --name NAME
  site deactivate|reactivate|delete <code>    a deactivated site's locations take no stock
  site list
  location add <site> <code> [--zone Z] [--pickable true|false] [--reservable true|false]
  location update <site> <code> [--zone Z] [--pickable true|false] [--reservable true|false]
  location deactivate|reactivate|delete <site> <code>
  location list <site>
  product add <sku> --name NAME [--unit ea] [--threshold N] [--site-threshold SITE=N]... [--gtin GTIN[:QTY]]...
  product update <sku> [--name NAME] [--unit U] [--threshold N] [--site-threshold SITE=N|SITE=default]...
                 [--gtin GTIN[:QTY]]...   (--gtin replaces the product's whole set)
  product deactivate|reactivate|delete <sku>
  product list [--search TEXT]               part of a SKU or name, or a whole GTIN
  gtin add <sku> <GTIN[:QTY]>                a pack's GTIN and the units one scan of it moves (1)
  gtin remove <sku> <GTIN>
  --actor NAME   who makes the change, for the audit log (default: cli)
  --json         print the result as JSON
Delete refuses what the ledger, stock, lots, reservations, POs or held events refer to: deactivate it.`

const {
  values: a,
  positionals,
  fail,
  configOrExit,
} = cliUsage(
  USAGE,
  {
    name: { type: 'string' },
    zone: { type: 'string' },
    pickable: { type: 'string' },
    reservable: { type: 'string' },
    unit: { type: 'string' },
    threshold: { type: 'string' },
    'site-threshold': { type: 'string', multiple: true },
    gtin: { type: 'string', multiple: true },
    search: { type: 'string' },
    actor: { type: 'string', default: 'cli' },
    json: { type: 'boolean', default: false },
  },
  { positionals: true },
)

const [entity = '', verb = '', ...keys] = positionals
const VERBS: Record<string, { verbs: string[]; keys: number }> = {
  site: { verbs: ['add', 'update', 'deactivate', 'reactivate', 'delete', 'list'], keys: 1 },
  location: { verbs: ['add', 'update', 'deactivate', 'reactivate', 'delete', 'list'], keys: 2 },
  product: { verbs: ['add', 'update', 'deactivate', 'reactivate', 'delete', 'list'], keys: 1 },
  gtin: { verbs: ['add', 'remove'], keys: 2 },
}
const known = VERBS[entity]
if (!known?.verbs.includes(verb)) fail(`unknown command: ${[entity, verb].filter(Boolean).join(' ') || '(none)'}`)
const needed = verb === 'list' ? (entity === 'location' ? 1 : 0) : known!.keys
if (keys.length !== needed) fail(`${entity} ${verb} takes ${needed} argument(s), got ${keys.length}`)

/** Checks a request against the API's own schema, so the CLI refuses what the API would. */
function checked<S extends TSchema>(schema: S, value: object, what: string) {
  const result = createValidator(schema)(value)
  return result.ok ? result.value : fail(`${what}: ${result.error}`)
}
const int = (text: string, what: string) => (/^\d+$/.test(text) ? Number(text) : fail(`${what} is a whole number, got ${text}`))
const bool = (text: string | undefined, what: string) =>
  text === undefined ? undefined : text === 'true' ? true : text === 'false' ? false : fail(`${what} is true or false`)
const gtinArg = (text: string): ProductGtin => {
  const [gtin = '', qty = '1'] = text.split(':')
  return { gtin, qty: int(qty, `the quantity of ${gtin}`) }
}
const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined))
const siteThresholds = (entries: string[] | undefined, allowDefault: boolean) => {
  if (!entries) return undefined
  return Object.fromEntries(
    entries.map((e) => {
      const [site = '', value = ''] = e.split('=')
      if (allowDefault && value === 'default') return [site, null]
      return [site, int(value, `--site-threshold ${site}`)]
    }),
  )
}
const locationFields = () =>
  defined({ zone: a.zone, pickable: bool(a.pickable, '--pickable'), reservable: bool(a.reservable, '--reservable') })
const productFields = (allowDefault: boolean) =>
  defined({
    name: a.name,
    unit: a.unit,
    reorderThreshold: a.threshold === undefined ? undefined : int(a.threshold, '--threshold'),
    siteThresholds: siteThresholds(a['site-threshold'], allowDefault),
    gtins: a.gtin?.map(gtinArg),
  })

const activation: Record<string, { active: boolean } | undefined> = { deactivate: { active: false }, reactivate: { active: true } }

/** The command's request, checked before the database is opened. */
function request(): object | undefined {
  if (verb === 'list' || verb === 'delete') return undefined
  if (entity === 'gtin') return checked(ProductGtinSchema, gtinArg(keys[1]!), 'gtin') as object
  const [schema, fields, what] = {
    site: [verb === 'add' ? SiteSchema : SiteUpdateSchema, () => defined({ name: a.name }), 'site'],
    location: [verb === 'add' ? LocationCreateSchema : LocationUpdateSchema, locationFields, 'location'],
    product: [verb === 'add' ? ProductSchema : ProductUpdateSchema, () => productFields(verb !== 'add'), 'product'],
  }[entity]! as [TSchema, () => object, string]
  const key = verb === 'add' ? (entity === 'product' ? { sku: keys[0] } : { code: keys.at(-1) }) : {}
  const given = activation[verb] ?? fields()
  if (Object.keys(given).length === 0 && verb === 'update') fail(`${what} update: nothing to change`)
  return checked(schema, { ...key, ...given }, what) as object
}
const input = request()

const onOff = (active: boolean) => (active ? '' : '  DEACTIVATED')
const describeSite = (s: SiteInfo) => `${s.code}  ${s.name}${onOff(s.active)}`
const describeLocation = (l: LocationInfo) =>
  `${l.site}/${l.code}  zone ${l.zone || '-'}  ${l.pickable ? 'pickable' : 'not pickable'}  ${l.reservable ? 'reservable' : 'not reservable'}${onOff(l.active)}`
const describeProduct = (p: ProductInfo) =>
  [
    `${p.sku}  ${p.name}  (${p.unit})  reorder at ${p.reorderThreshold}`,
    ...Object.entries(p.siteThresholds).map(([site, t]) => `${site}: ${t}`),
    p.gtins.map((g) => `${g.gtin}×${g.qty}`).join(' ') || 'no GTINs',
  ].join('  ') + onOff(p.active)

const config = configOrExit()
const services = await openDatabaseServices(config, { poolSize: 1, migrate: false })
const catalog = createCatalogService({ db: services.database.db })
const actor = a.actor

const show = <T>(value: T, describe: (v: T) => string) => console.log(a.json ? JSON.stringify(value, null, 2) : describe(value))
const showAll = <T>(values: T[], describe: (v: T) => string, none: string) =>
  console.log(a.json ? JSON.stringify(values, null, 2) : values.map(describe).join('\n') || none)

async function site(code: string) {
  const { sites } = catalog
  if (verb === 'list') return showAll(await sites.list(), describeSite, 'no sites')
  if (verb === 'delete') return show(await sites.remove(code, actor), (s) => `deleted ${describeSite(s)}`)
  show(verb === 'add' ? await sites.create(input as Site, actor) : await sites.update(code, input as SiteUpdate, actor), describeSite)
}

async function location(site: string, code: string) {
  const { locations } = catalog
  if (verb === 'list') return showAll(await locations.list(site), describeLocation, `no locations at ${site}`)
  if (verb === 'delete') return show(await locations.remove(site, code, actor), (l) => `deleted ${describeLocation(l)}`)
  const done =
    verb === 'add' ? locations.create(site, input as LocationCreate, actor) : locations.update(site, code, input as LocationUpdate, actor)
  show(await done, describeLocation)
}

async function product(sku: string) {
  const { products } = catalog
  if (verb === 'list') {
    const all: ProductInfo[] = []
    for (let after: string | null | undefined; after !== null;) {
      const page = await products.list({ limit: 500, ...defined({ q: a.search, after }) })
      all.push(...page.items)
      after = page.next
    }
    return showAll(all, describeProduct, 'no products')
  }
  if (verb === 'delete') return show(await products.remove(sku, actor), (p) => `deleted ${describeProduct(p)}`)
  show(
    verb === 'add' ? await products.create(input as Product, actor) : await products.update(sku, input as ProductUpdate, actor),
    describeProduct,
  )
}

/** A GTIN added to (or taken from) the product's set; the same GTIN given again changes its quantity. */
async function gtin(sku: string, given: ProductGtin) {
  const { products } = catalog
  const current = (await products.get(sku)).gtins
  const others = current.filter((g) => g.gtin !== given.gtin.padStart(14, '0'))
  if (verb === 'remove' && others.length === current.length) throw new HubError('NOT_FOUND', `${sku} has no GTIN ${given.gtin}`)
  show(await products.update(sku, { gtins: verb === 'add' ? [...others, given] : others }, actor), describeProduct)
}

await runToExit(
  async () => {
    if (entity === 'site') await site(keys[0]!)
    else if (entity === 'location') await location(keys[0]!, keys[1]!)
    else if (entity === 'product') await product(keys[0]!)
    else await gtin(keys[0]!, input as ProductGtin)
    // Hubs re-read the catalog every 60 s; this process cannot tell them sooner.
    if (verb !== 'list' && !a.json) console.error('running hubs apply the change to scans within 60 seconds')
  },
  () => services.close(),
)
