import { and, eq, gt, inArray, ne, or, sql, type SQL } from 'drizzle-orm'
import type { Product, ProductGtin, ProductInfo, ProductPage, ProductQuery, ProductUpdate } from '@wh/shared'
import type { Db } from '../db/connection.ts'
import { productGtins, products, reorderThresholds, sites } from '../db/schema/index.ts'
import { containing } from '../db/like.ts'
import { HubError } from '../errors.ts'
import { refuseIfReferenced } from './catalog-references.ts'
import { auditCatalog, changeAction, DUPLICATE_KEY, refusing, ROW_IS_REFERENCED, type Tx } from './catalog-tx.ts'
import { normaliseGtins } from './gtin-rules.ts'
import { auditedProduct, productInfos, seenBy, type ProductRow } from './product-rows.ts'

export interface ProductChange {
  sku: string
  /** Every GTIN the product had before or has after, so each one's cached lookup is dropped. */
  gtins: string[]
  /** The product joined the active catalog (created active, reactivated) or left it (deactivated, deleted). */
  listing?: 'added' | 'removed'
}

/** Whether a change moved a product into or out of the active catalog. */
function listing(before: { active: boolean } | undefined, after: { active: boolean } | undefined): ProductChange['listing'] {
  const was = before?.active ?? false
  const is = after?.active ?? false
  return was === is ? undefined : is ? 'added' : 'removed'
}

async function lockProduct(tx: Tx, sku: string): Promise<ProductRow> {
  const [row] = await tx.select().from(products).where(eq(products.sku, sku)).limit(1).for('update')
  if (!row) throw new HubError('PRODUCT_NOT_FOUND', sku)
  return row
}

async function readProduct(tx: Db | Tx, sku: string): Promise<ProductInfo> {
  const rows = await tx.select().from(products).where(eq(products.sku, sku)).limit(1)
  const [info] = await productInfos(tx, rows)
  if (!info) throw new HubError('PRODUCT_NOT_FOUND', sku)
  return info
}

/** Products whose SKU or name contains `q` in any case, or that have `q` as a GTIN (8, 12, 13 or 14 digits). */
export function searchCondition(q: string): SQL | undefined {
  const pattern = containing(q)
  const matches = [sql`LOWER(${products.sku}) LIKE ${pattern}`, sql`LOWER(${products.name}) LIKE ${pattern}`]
  if (/^(?:\d{8}|\d{12,14})$/.test(q))
    matches.push(
      sql`${products.id} IN (SELECT ${productGtins.productId} FROM ${productGtins} WHERE ${productGtins.gtin} = ${q.padStart(14, '0')})`,
    )
  return or(...matches)
}

/**
 * Products with their GTINs (several packs each: a scan of a case GTIN moves its quantity) and
 * per-site reorder thresholds. `fieldRoot` is where a request's members sit (`/body` over HTTP),
 * so a bad GTIN or site is named where the caller wrote it.
 */
export function createProductService(db: Db, changed: (change: ProductChange) => void, fieldRoot = '') {
  /** Refuses GTINs that another product has (409 naming it); locks those found. */
  async function assertGtinsFree(tx: Tx, gtins: readonly ProductGtin[], productId: number | null) {
    if (gtins.length === 0) return
    const taken = await tx
      .select({ gtin: productGtins.gtin, sku: products.sku })
      .from(productGtins)
      .innerJoin(products, eq(products.id, productGtins.productId))
      .where(
        and(
          inArray(
            productGtins.gtin,
            gtins.map((g) => g.gtin),
          ),
          productId === null ? undefined : ne(productGtins.productId, productId),
        ),
      )
      .for('update')
    if (taken.length > 0)
      throw new HubError(
        'GTIN_TAKEN',
        taken.map((t) => `${t.gtin} is on product ${t.sku}`).join('; '),
        taken.map((t) => ({ gtin: t.gtin, sku: t.sku })),
      )
  }

  async function writeGtins(tx: Tx, productId: number, gtins: readonly ProductGtin[]) {
    await tx.delete(productGtins).where(eq(productGtins.productId, productId))
    if (gtins.length === 0) return
    await tx
      .insert(productGtins)
      .values(gtins.map((g) => ({ ...g, productId })))
      .catch(refusing({ [DUPLICATE_KEY]: new HubError('GTIN_TAKEN', 'another product took one of these GTINs meanwhile') }))
  }

  /** Sets and clears (null) per-site thresholds; each site set must exist (its foreign key is the last wall). */
  async function mergeThresholds(tx: Tx, productId: number, thresholds: Record<string, number | null>) {
    const set = Object.entries(thresholds).filter((e): e is [string, number] => e[1] !== null)
    const cleared = Object.keys(thresholds).filter((site) => thresholds[site] === null)
    if (set.length > 0) {
      const codes = set.map(([site]) => site)
      const known = new Set((await tx.select({ code: sites.code }).from(sites).where(inArray(sites.code, codes))).map((s) => s.code))
      const unknown = codes.filter((c) => !known.has(c))
      if (unknown.length > 0)
        throw new HubError(
          'UNKNOWN_SITE',
          `siteThresholds names ${unknown.join(', ')}, not a site`,
          unknown.map((site) => ({ field: `${fieldRoot}/siteThresholds/${site}`, reason: 'is not a site' })),
        )
      await tx
        .insert(reorderThresholds)
        .values(set.map(([site, threshold]) => ({ productId, site, threshold })))
        .onDuplicateKeyUpdate({ set: { threshold: sql`VALUES(${reorderThresholds.threshold})` } })
    }
    if (cleared.length > 0)
      await tx.delete(reorderThresholds).where(and(eq(reorderThresholds.productId, productId), inArray(reorderThresholds.site, cleared)))
  }

  const gtinsOf = (...products: ProductInfo[]) => [...new Set(products.flatMap((p) => p.gtins.map((g) => g.gtin)))]

  return {
    /** A page in SKU order; `q` matches part of a SKU or name (any case) or a whole GTIN. */
    async list(query: ProductQuery, sites?: readonly string[] | null): Promise<ProductPage> {
      const rows = await db
        .select()
        .from(products)
        .where(
          and(
            query.active === undefined ? undefined : eq(products.active, query.active),
            query.after === undefined ? undefined : gt(products.sku, query.after),
            query.q === undefined ? undefined : searchCondition(query.q),
          ),
        )
        .orderBy(products.sku)
        .limit(query.limit + 1)
      const page = rows.slice(0, query.limit)
      const items = (await productInfos(db, page)).map((p) => seenBy(p, sites))
      return { items, next: rows.length > query.limit ? page.at(-1)!.sku : null }
    },

    get: async (sku: string, sites?: readonly string[] | null) => seenBy(await readProduct(db, sku), sites),

    async create(input: Product, actor: string): Promise<ProductInfo> {
      const gtins = normaliseGtins(input.gtins ?? [], `${fieldRoot}/gtins`)
      const product = await db.transaction(async (tx) => {
        await assertGtinsFree(tx, gtins, null)
        const { sku, name, unit, reorderThreshold, active } = input
        const [{ id }] = (await tx
          .insert(products)
          .values({ sku, name, unit, reorderThreshold, active })
          .$returningId()
          .catch(refusing({ [DUPLICATE_KEY]: new HubError('SKU_TAKEN', sku) }))) as [{ id: number }]
        await writeGtins(tx, id, gtins)
        await mergeThresholds(tx, id, input.siteThresholds ?? {})
        const after = await readProduct(tx, sku)
        await auditCatalog(tx, { entity: 'product', entityId: sku, action: 'create', actor, after: auditedProduct(after) })
        return after
      })
      changed({ sku: product.sku, gtins: gtinsOf(product), listing: listing(undefined, product) })
      return product
    },

    /** Changes what the patch names: `gtins` replaces the set, `siteThresholds` merges (null clears a site). */
    async update(sku: string, patch: ProductUpdate, actor: string): Promise<ProductInfo> {
      const { gtins: given, siteThresholds, name, unit, reorderThreshold, active } = patch
      const columns = Object.fromEntries(Object.entries({ name, unit, reorderThreshold, active }).filter(([, v]) => v !== undefined))
      const gtins = given && normaliseGtins(given, `${fieldRoot}/gtins`)
      const [before, after] = await db.transaction(async (tx) => {
        const row = await lockProduct(tx, sku)
        const before = await readProduct(tx, sku)
        if (Object.keys(columns).length > 0) await tx.update(products).set(columns).where(eq(products.id, row.id))
        if (gtins) {
          await assertGtinsFree(tx, gtins, row.id)
          await writeGtins(tx, row.id, gtins)
        }
        if (siteThresholds) await mergeThresholds(tx, row.id, siteThresholds)
        const after = await readProduct(tx, sku)
        const action = changeAction(auditedProduct(before), auditedProduct(after))
        if (action)
          await auditCatalog(tx, {
            entity: 'product',
            entityId: sku,
            action,
            actor,
            before: auditedProduct(before),
            after: auditedProduct(after),
          })
        return [before, after]
      })
      changed({ sku, gtins: gtinsOf(before, after), listing: listing(before, after) })
      return after
    },

    /** Deletes a product nothing refers to, with its GTINs and thresholds. */
    async remove(sku: string, actor: string): Promise<ProductInfo> {
      const product = await db
        .transaction(async (tx) => {
          const row = await lockProduct(tx, sku)
          await refuseIfReferenced(tx, 'product', sku, row.id)
          const before = await readProduct(tx, sku)
          await tx.delete(productGtins).where(eq(productGtins.productId, row.id))
          await tx.delete(reorderThresholds).where(eq(reorderThresholds.productId, row.id))
          await tx.delete(products).where(eq(products.id, row.id))
          await auditCatalog(tx, { entity: 'product', entityId: sku, action: 'delete', actor, before: auditedProduct(before) })
          return before
        })
        .catch(refusing({ [ROW_IS_REFERENCED]: new HubError('IN_USE', `product ${sku} came to be referenced as it was deleted`) }))
      changed({ sku, gtins: gtinsOf(product), listing: listing(product, undefined) })
      return product
    },
  }
}
