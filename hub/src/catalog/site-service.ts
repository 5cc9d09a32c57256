import { eq, inArray } from 'drizzle-orm'
import type { Site, SiteInfo, SiteUpdate } from '@wh/shared'
import type { Db } from '../db/connection.ts'
import { sites } from '../db/schema/index.ts'
import { HubError } from '../errors.ts'
import { auditCatalog, changeAction, refusing, DUPLICATE_KEY, ROW_IS_REFERENCED, type Tx } from './catalog-tx.ts'
import { refuseIfReferenced } from './catalog-references.ts'

type SiteRow = typeof sites.$inferSelect

const siteInfo = (r: SiteRow): SiteInfo => ({ code: r.code, name: r.name, active: r.active, createdAt: r.createdAt.toISOString() })
/** What the audit keeps: the site as set, not when it was made. */
const audited = ({ createdAt: _, ...site }: SiteInfo) => site

/** The site, with `lock` locked for the rest of the transaction. */
export async function readSite(tx: Db | Tx, code: string, lock = false): Promise<SiteInfo> {
  const query = tx.select().from(sites).where(eq(sites.code, code)).limit(1)
  const [row] = lock ? await query.for('update') : await query
  if (!row) throw new HubError('SITE_NOT_FOUND', code)
  return siteInfo(row)
}

/** Sites: create, rename, deactivate and reactivate, delete while nothing is at them. */
export function createSiteService(db: Db, changed: (code: string) => void) {
  return {
    /** Every site, or those of `only` (a key limited to sites sees only its own). */
    async list(only?: readonly string[]): Promise<SiteInfo[]> {
      if (only?.length === 0) return []
      const rows = await db
        .select()
        .from(sites)
        .where(only ? inArray(sites.code, [...only]) : undefined)
        .orderBy(sites.code)
      return rows.map(siteInfo)
    },

    get: (code: string) => readSite(db, code),

    async create(input: Site, actor: string): Promise<SiteInfo> {
      const site = await db
        .transaction(async (tx) => {
          await tx.insert(sites).values({ code: input.code, name: input.name, active: input.active ?? true })
          const after = await readSite(tx, input.code)
          await auditCatalog(tx, { entity: 'site', entityId: input.code, action: 'create', actor, after: audited(after) })
          return after
        })
        .catch(refusing({ [DUPLICATE_KEY]: new HubError('SITE_EXISTS', input.code) }))
      changed(site.code)
      return site
    },

    async update(code: string, patch: SiteUpdate, actor: string): Promise<SiteInfo> {
      const site = await db.transaction(async (tx) => {
        const before = await readSite(tx, code, true)
        await tx.update(sites).set({ name: patch.name, active: patch.active }).where(eq(sites.code, code))
        const after = await readSite(tx, code)
        const action = changeAction(audited(before), audited(after))
        if (action)
          await auditCatalog(tx, { entity: 'site', entityId: code, action, actor, before: audited(before), after: audited(after) })
        return after
      })
      changed(code)
      return site
    },

    async remove(code: string, actor: string): Promise<SiteInfo> {
      const site = await db
        .transaction(async (tx) => {
          const before = await readSite(tx, code, true)
          await refuseIfReferenced(tx, 'site', code, code)
          await tx.delete(sites).where(eq(sites.code, code))
          await auditCatalog(tx, { entity: 'site', entityId: code, action: 'delete', actor, before: audited(before) })
          return before
        })
        .catch(refusing({ [ROW_IS_REFERENCED]: new HubError('IN_USE', `site ${code} came to be referenced as it was deleted`) }))
      changed(code)
      return site
    },
  }
}
