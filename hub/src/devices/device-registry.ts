import { and, eq, sql } from 'drizzle-orm'
import type { Acting } from '../auth/caller.ts'
import type { DeviceInfo, DeviceWithSecret, RegisterDevice } from '@wh/shared'
import type { Db } from '../db/connection.ts'
import { devices, sites } from '../db/schema/index.ts'
import { recordAudit } from '../stock/audit-log.ts'
import { HubError } from '../errors.ts'
import { newDeviceSecret, type SecretBox } from './secret-box.ts'

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0]
type DeviceRow = typeof devices.$inferSelect
/** A device and its new secret; the route adds how a handheld provisions itself with them. */
export type IssuedSecret = Omit<DeviceWithSecret, 'provisioning'>

const iso = (d: Date | null) => (d ? d.toISOString() : null)

/** The row as the API shows it: never the sealed secret. */
export function deviceInfo(row: DeviceRow): DeviceInfo {
  return {
    id: row.id,
    site: row.site,
    kind: row.kind as DeviceInfo['kind'],
    enabled: row.enabled,
    status: row.status,
    lastSeenAt: iso(row.lastSeenAt),
    lastDeviceSeq: row.lastDeviceSeq,
    registeredAt: row.registeredAt.toISOString(),
    hasSecret: row.secretSealed !== null,
    secretRotatedAt: iso(row.secretRotatedAt),
  }
}

/** What the audit log keeps of a device: its registration, never a secret in any form. */
const audited = (d: DeviceInfo) => ({ site: d.site, kind: d.kind, enabled: d.enabled, secretRotatedAt: d.secretRotatedAt })

/**
 * Device registration: each device gets a signing secret, returned once and stored only sealed
 * with the hub's key. Rotation replaces it (the old one stops verifying as soon as ingest re-reads
 * the device); disabling refuses the device's events. Every change is audited.
 */
export function createDeviceRegistry(deps: { db: Db; box: SecretBox }) {
  const { db, box } = deps

  async function read(tx: Db | Tx, id: string, lock = false): Promise<DeviceRow> {
    const query = tx.select().from(devices).where(eq(devices.id, id)).limit(1)
    const [row] = lock ? await query.for('update') : await query
    if (!row) throw new HubError('DEVICE_NOT_FOUND', id)
    return row
  }

  async function audit(tx: Tx, id: string, action: string, actor: string, before: unknown, after: unknown) {
    await recordAudit(tx, [{ entity: 'device', entityId: id, action, actor, before, after }])
  }

  /** Issues a new secret to the device (locked row), recording the change; returns it with the secret. */
  async function issue(tx: Tx, id: string): Promise<IssuedSecret> {
    const secret = newDeviceSecret()
    await tx
      .update(devices)
      .set({ secretSealed: box.seal(secret, id), secretRotatedAt: sql`CURRENT_TIMESTAMP(3)` })
      .where(eq(devices.id, id))
    return { device: deviceInfo(await read(tx, id)), secret }
  }

  return {
    async list(filter: { site?: string } = {}): Promise<DeviceInfo[]> {
      const rows = await db
        .select()
        .from(devices)
        .where(filter.site ? eq(devices.site, filter.site) : undefined)
        .orderBy(devices.id)
      return rows.map(deviceInfo)
    },

    get: async (id: string): Promise<DeviceInfo> => deviceInfo(await read(db, id)),

    /** A new device at an active site of the catalog; a taken id is a 409 (rotate instead). */
    async register(input: RegisterDevice & Acting): Promise<IssuedSecret> {
      const { id, site, kind = 'handheld', actor } = input
      return db.transaction(async (tx) => {
        const [known] = await tx
          .select({ code: sites.code })
          .from(sites)
          .where(and(eq(sites.code, site), eq(sites.active, true)))
          .limit(1)
        if (!known) throw new HubError('UNKNOWN_SITE', site)
        const [taken] = await tx.select({ id: devices.id }).from(devices).where(eq(devices.id, id)).limit(1).for('update')
        if (taken) throw new HubError('DEVICE_EXISTS', id)
        await tx.insert(devices).values({ id, site, kind })
        const issued = await issue(tx, id)
        await audit(tx, id, 'register', actor, null, audited(issued.device))
        return issued
      })
    },

    /** A new secret; the old one stops verifying. */
    async rotate(id: string, actor: string): Promise<IssuedSecret> {
      return db.transaction(async (tx) => {
        const before = deviceInfo(await read(tx, id, true))
        const issued = await issue(tx, id)
        await audit(tx, id, 'rotate-secret', actor, audited(before), audited(issued.device))
        return issued
      })
    },

    async setEnabled(id: string, enabled: boolean, actor: string): Promise<DeviceInfo> {
      return db.transaction(async (tx) => {
        const before = deviceInfo(await read(tx, id, true))
        if (before.enabled === enabled) return before
        await tx.update(devices).set({ enabled }).where(eq(devices.id, id))
        const after = deviceInfo(await read(tx, id))
        await audit(tx, id, enabled ? 'enable' : 'disable', actor, audited(before), audited(after))
        return after
      })
    },
  }
}

export type DeviceRegistry = ReturnType<typeof createDeviceRegistry>
