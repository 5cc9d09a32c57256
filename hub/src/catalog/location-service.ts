import { and, eq } from 'drizzle-orm'
import type { LocationCreate, LocationInfo, LocationUpdate } from '@wh/shared'
import type { Db } from '../db/connection.ts'
import { locations } from '../db/schema/index.ts'
import { HubError } from '../errors.ts'
import { auditCatalog, changeAction, refusing, DUPLICATE_KEY, ROW_IS_REFERENCED, type Tx } from './catalog-tx.ts'
import { refuseIfReferenced } from './catalog-references.ts'
import { readSite } from './site-service.ts'

type LocationRow = typeof locations.$inferSelect

const locationInfo = ({ id: _, sellable: _sellable, ...info }: LocationRow): LocationInfo => info
const entityId = (site: string, code: string) => `${site}/${code}`
const at = (site: string, code: string) => and(eq(locations.site, site), eq(locations.code, code))

async function readLocation(tx: Db | Tx, site: string, code: string, lock = false): Promise<LocationRow> {
  const query = tx.select().from(locations).where(at(site, code)).limit(1)
  const [row] = lock ? await query.for('update') : await query
  if (!row) throw new HubError('LOCATION_NOT_FOUND', entityId(site, code))
  return row
}

/**
 * Stock may only arrive at an active site; its row stays locked so it is not deactivated or
 * deleted meanwhile (MariaDB has no FOR SHARE, so FOR UPDATE: location changes serialize per site).
 */
async function assertSiteActive(tx: Tx, site: string) {
  if (!(await readSite(tx, site, true)).active) throw new HubError('SITE_INACTIVE', site)
}

/**
 * Locations of a site: create (at an active site), change zone, pickable and reservable,
 * deactivate and reactivate, delete while nothing refers to them. Codes never change: devices and
 * labels carry them.
 */
export function createLocationService(db: Db, changed: (site: string, code: string) => void | Promise<void>) {
  return {
    /** The site's locations, inactive ones too; an unknown site is a 404. */
    async list(site: string): Promise<LocationInfo[]> {
      await readSite(db, site)
      const rows = await db.select().from(locations).where(eq(locations.site, site)).orderBy(locations.code)
      return rows.map(locationInfo)
    },

    get: async (site: string, code: string) => locationInfo(await readLocation(db, site, code)),

    async create(site: string, input: LocationCreate, actor: string): Promise<LocationInfo> {
      const location = await db
        .transaction(async (tx) => {
          await assertSiteActive(tx, site)
          const { code, zone, pickable, reservable, active } = input
          await tx.insert(locations).values({ site, code, zone, pickable, reservable, active })
          const after = locationInfo(await readLocation(tx, site, input.code))
          await auditCatalog(tx, { entity: 'location', entityId: entityId(site, input.code), action: 'create', actor, after })
          return after
        })
        .catch(refusing({ [DUPLICATE_KEY]: new HubError('LOCATION_EXISTS', entityId(site, input.code)) }))
      await changed(site, input.code)
      return location
    },

    async update(site: string, code: string, patch: LocationUpdate, actor: string): Promise<LocationInfo> {
      const location = await db.transaction(async (tx) => {
        const before = locationInfo(await readLocation(tx, site, code, true))
        if (patch.active && !before.active) await assertSiteActive(tx, site)
        const { zone, pickable, reservable, active } = patch
        await tx.update(locations).set({ zone, pickable, reservable, active }).where(at(site, code))
        const after = locationInfo(await readLocation(tx, site, code))
        const action = changeAction(before, after)
        if (action) await auditCatalog(tx, { entity: 'location', entityId: entityId(site, code), action, actor, before, after })
        return after
      })
      await changed(site, code)
      return location
    },

    async remove(site: string, code: string, actor: string): Promise<LocationInfo> {
      const location = await db
        .transaction(async (tx) => {
          const row = await readLocation(tx, site, code, true)
          await refuseIfReferenced(tx, 'location', entityId(site, code), row.id)
          await tx.delete(locations).where(eq(locations.id, row.id))
          const before = locationInfo(row)
          await auditCatalog(tx, { entity: 'location', entityId: entityId(site, code), action: 'delete', actor, before })
          return before
        })
        .catch(
          refusing({
            [ROW_IS_REFERENCED]: new HubError('IN_USE', `location ${entityId(site, code)} came to be referenced as it was deleted`),
          }),
        )
      await changed(site, code)
      return location
    },
  }
}
