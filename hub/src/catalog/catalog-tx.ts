import { isDeepStrictEqual } from 'node:util'
import type { Db } from '../db/connection.ts'
import { HubError } from '../errors.ts'
import { recordAudit } from '../stock/audit-log.ts'

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0]
export type CatalogEntity = 'site' | 'location' | 'product'

export const DUPLICATE_KEY = 1062
/** A delete that a foreign key refuses: something came to reference the row after the checks ran. */
export const ROW_IS_REFERENCED = 1451

/**
 * A `.catch` that turns the driver's errors named in `refusals` into those refusals (the unique
 * and foreign keys are the last wall behind the checks) and rethrows any other error.
 */
export const refusing =
  (refusals: Partial<Record<number, HubError>>) =>
  (err: unknown): never => {
    // drizzle keeps the driver's error as `cause`.
    const e = err as { errno?: number; cause?: { errno?: number } }
    throw refusals[e.errno ?? e.cause?.errno ?? 0] ?? err
  }

/**
 * What an update did, as the audit names it: deactivate or reactivate when only `active` moved,
 * update otherwise, and null when nothing changed (no row is written, no audit kept).
 */
export function changeAction<T extends { active: boolean }>(before: T, after: T): 'update' | 'deactivate' | 'reactivate' | null {
  if (isDeepStrictEqual(before, after)) return null
  if (isDeepStrictEqual({ ...before, active: after.active }, after)) return after.active ? 'reactivate' : 'deactivate'
  return 'update'
}

/** One catalog change's audit row, in the change's transaction. */
export async function auditCatalog(
  tx: Tx,
  change: { entity: CatalogEntity; entityId: string; action: string; actor: string; before?: unknown; after?: unknown },
) {
  await recordAudit(tx, [change])
}
