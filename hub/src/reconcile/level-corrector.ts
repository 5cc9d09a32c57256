import type { Pool, PoolConnection } from 'mysql2/promise'
import type { Finding, ReconcileScope } from '@wh/shared'
import { runStatements } from '../db/statements.ts'
import { inTransaction } from '../db/transaction.ts'
import type { Aggregate } from '../db/typed-rows.ts'
import { auditStatement, type AuditEntry } from '../stock/audit-log.ts'
import { ensureLevel, identifyNewLots, writeLevels, writeLots } from '../stock/ledger-writes.ts'
import { UNNAMED_LOT, type LotState } from '../stock/lot-plan.ts'
import { lockLevelsAndLots } from '../stock/stock-locks.ts'
import type { LevelState } from './level-checks.ts'
import { planLotFix } from './lot-fix.ts'
import type { RunTrigger } from './reconcile-queue.ts'

export interface RunContext {
  runId: number
  scope: ReconcileScope
  trigger: RunTrigger
}

export const auditReason = (ctx: RunContext, what: string) =>
  `reconciliation run ${ctx.runId} (${ctx.scope}, triggered by ${ctx.trigger}): ${what}`

/** A correction's audit entry: the reconciler did it, for the reason given. */
export const corrected = (e: Pick<AuditEntry, 'entity' | 'entityId' | 'reason' | 'before' | 'after'>): AuditEntry => ({
  ...e,
  action: 'reconcile',
  actor: 'reconciler',
})

export interface LevelCorrection {
  findings: Finding[]
  /** The level as committed, when the correction changed it (for the cache). */
  changed?: { onHand: number; reserved: number; version: number }
}

const one = async (conn: PoolConnection, sql: string, params: unknown[]) => (await conn.query<Aggregate<'n'>[]>(sql, params))[0][0]

/**
 * Re-checks one level found discrepant and corrects it, in one short transaction that locks the
 * level first (FOR UPDATE), then its lots, the order every writer keeps. With the level locked
 * no writer can add to its ledger or change its reservations, so the sums read here are exact.
 *
 * The ledger is the truth for on_hand: the correction sets on_hand to the ledger's sum and bumps
 * the version. It writes no ledger row: the ledger already says what happened, and a
 * compensating row would change the sum it is being corrected to. The before/after in the audit
 * log is the record. The active reservations are the truth for reserved. A correction that would
 * break the level's CHECKs (reserved <= on_hand, both >= 0) is left for an admin. Lots follow the
 * corrected on_hand (see planLotFix); no lot movement is written either, for the same reason.
 */
export async function correctLevel(
  pool: Pool,
  f: LevelState,
  names: { site: string; sku: string; location: string },
  ctx: RunContext,
): Promise<LevelCorrection> {
  const at = [f.productId, f.locationId]
  const level = { entityId: `${f.productId}:${f.locationId}`, site: names.site, sku: names.sku, location: names.location }
  return inTransaction(pool, async (conn) => {
    // The level, then its lots, in the core's lock order.
    const lock = () => lockLevelsAndLots(conn, [[f.productId, f.locationId]])
    let locked = await lock()
    if (locked.levels.size === 0) {
      // The row was deleted while the ledger still holds stock for it: recreate it (version 0), then lock it.
      await runStatements(conn, [ensureLevel(f.productId, f.locationId)])
      locked = await lock()
    }
    const [row] = locked.levels.values()
    const before = { onHand: row!.onHand, reserved: row!.reserved, version: row!.version }
    const ledger = Number(
      (await one(conn, 'SELECT COALESCE(SUM(qty_delta), 0) AS n FROM stock_movements WHERE product_id = ? AND location_id = ?', at))!.n,
    )
    const active = Number(
      (await one(
        conn,
        `SELECT COALESCE(SUM(qty), 0) AS n FROM reservations WHERE product_id = ? AND location_id = ? AND status = 'active'`,
        at,
      ))!.n,
    )
    const lots: LotState[] = [...locked.lots.values()].flat()
    const lotSum = lots.reduce((n, l) => n + l.qty, 0)

    const needsAdmin = ledger < 0 || active < 0 || active > ledger
    const outcome = needsAdmin ? 'needs-admin' : 'corrected'
    const findings: Finding[] = []
    const found = (check: Finding['check'], was: number, expected: number) =>
      findings.push({ check, site: level.site, sku: level.sku, location: level.location, found: was, expected, outcome })
    if (before.onHand !== ledger) found('ledger', before.onHand, ledger)
    if (before.reserved !== active) found('reserved', before.reserved, active)
    const lotTarget = needsAdmin ? before.onHand : ledger
    if (lotSum !== lotTarget) found('lots', lotSum, lotTarget)
    if (needsAdmin || findings.length === 0) return { findings }

    const audit: AuditEntry[] = []
    let changed: LevelCorrection['changed']
    if (before.onHand !== ledger || before.reserved !== active) {
      changed = { onHand: ledger, reserved: active, version: before.version + 1 }
      await runStatements(conn, writeLevels([{ productId: f.productId, locationId: f.locationId, ...changed }]))
      const what = findings
        .filter((x) => x.check !== 'lots')
        .map((x) =>
          x.check === 'ledger' ? `on_hand ${x.found} != ledger ${x.expected}` : `reserved ${x.found} != active reservations ${x.expected}`,
        )
      audit.push(
        corrected({
          entity: 'stock_level',
          entityId: level.entityId,
          reason: auditReason(ctx, what.join('; ')),
          before: { sku: level.sku, site: level.site, location: level.location, ...before },
          after: {
            sku: level.sku,
            site: level.site,
            location: level.location,
            ...changed,
            diff: { onHand: ledger - before.onHand, reserved: active - before.reserved },
          },
        }),
      )
    }
    const fixes = planLotFix(lots, ledger).map((change) => {
      const lot: LotState = lots.find((l) => l.id !== undefined && l.id === change.id) ?? {
        productId: f.productId,
        locationId: f.locationId,
        code: UNNAMED_LOT,
        expiry: null,
        qty: 0,
        poNumber: null,
      }
      return { change, lot: { ...lot, qty: change.after } }
    })
    await runStatements(
      conn,
      writeLots(
        fixes.map((x) => x.lot),
        [],
      ),
    )
    await identifyNewLots(
      conn,
      fixes.map((x) => x.lot),
    )
    for (const { change, lot } of fixes) {
      audit.push(
        corrected({
          entity: 'lot',
          entityId: String(lot.id),
          reason: auditReason(ctx, `lots sum ${lotSum} != on_hand ${ledger}`),
          before: { sku: level.sku, site: level.site, location: level.location, lotCode: change.lotCode, qty: change.before },
          after: {
            sku: level.sku,
            site: level.site,
            location: level.location,
            lotCode: change.lotCode,
            qty: change.after,
            diff: change.after - change.before,
          },
        }),
      )
    }
    if (audit.length > 0) await runStatements(conn, [auditStatement(audit)])
    return { findings, changed }
  })
}
