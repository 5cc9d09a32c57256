import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise'
import type { Finding, ReconcileScope } from '@wh/shared'
import { inTransaction } from '../db/transaction.ts'
import type { LevelState } from './level-checks.ts'
import { planLotFix, type LotRow } from './lot-fix.ts'
import type { RunTrigger } from './reconcile-queue.ts'

export interface RunContext {
  runId: number
  scope: ReconcileScope
  trigger: RunTrigger
}

export interface AuditEntry {
  entity: 'stock_level' | 'lot' | 'cache'
  entityId: string
  reason: string
  before: object
  after: object
}

export const auditReason = (ctx: RunContext, what: string) =>
  `reconciliation run ${ctx.runId} (${ctx.scope}, triggered by ${ctx.trigger}): ${what}`

export async function writeAudit(conn: Pick<PoolConnection, 'query'>, entries: AuditEntry[]) {
  if (entries.length === 0) return
  await conn.query('INSERT INTO audit_log (entity, entity_id, action, actor, reason, `before`, `after`) VALUES ?', [
    entries.map((e) => [
      e.entity,
      e.entityId,
      'reconcile',
      'reconciler',
      e.reason.slice(0, 500),
      JSON.stringify(e.before),
      JSON.stringify(e.after),
    ]),
  ])
}

export interface LevelCorrection {
  findings: Finding[]
  /** The level as committed, when the correction changed it (for the cache). */
  changed?: { onHand: number; reserved: number; version: number }
}

const one = async (conn: PoolConnection, sql: string, params: unknown[]) => (await conn.query<RowDataPacket[]>(sql, params))[0][0]

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
  names: { sku: string; location: string },
  ctx: RunContext,
): Promise<LevelCorrection> {
  const at = [f.productId, f.locationId]
  const level = { entityId: `${f.productId}:${f.locationId}`, sku: names.sku, location: names.location }
  return inTransaction(pool, async (conn) => {
    const lock = () =>
      one(conn, 'SELECT on_hand, reserved, version FROM stock_levels WHERE product_id = ? AND location_id = ? FOR UPDATE', at)
    let row = await lock()
    if (!row) {
      // The row was deleted while the ledger still holds stock for it: recreate it (version 0), then lock it.
      await conn.query('INSERT IGNORE INTO stock_levels (product_id, location_id) VALUES (?, ?)', at)
      row = await lock()
    }
    const before = { onHand: Number(row!.on_hand), reserved: Number(row!.reserved), version: Number(row!.version) }
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
    const [lotRows] = await conn.query<RowDataPacket[]>(
      // The index named: a primary-key scan would lock every lot (see batch-state's lockLots).
      `SELECT id, lot_code, DATE_FORMAT(expiry, '%Y-%m-%d') AS expiry, qty FROM lots FORCE INDEX (lots_product_location_code)
       WHERE product_id = ? AND location_id = ? ORDER BY id FOR UPDATE`,
      at,
    )
    const lots: LotRow[] = lotRows.map((r) => ({ id: Number(r.id), lotCode: r.lot_code, expiry: r.expiry, qty: r.qty }))
    const lotSum = lots.reduce((n, l) => n + l.qty, 0)

    const needsAdmin = ledger < 0 || active < 0 || active > ledger
    const outcome = needsAdmin ? 'needs-admin' : 'corrected'
    const findings: Finding[] = []
    const found = (check: Finding['check'], was: number, expected: number) =>
      findings.push({ check, sku: level.sku, location: level.location, found: was, expected, outcome })
    if (before.onHand !== ledger) found('ledger', before.onHand, ledger)
    if (before.reserved !== active) found('reserved', before.reserved, active)
    const lotTarget = needsAdmin ? before.onHand : ledger
    if (lotSum !== lotTarget) found('lots', lotSum, lotTarget)
    if (needsAdmin || findings.length === 0) return { findings }

    const audit: AuditEntry[] = []
    let changed: LevelCorrection['changed']
    if (before.onHand !== ledger || before.reserved !== active) {
      await conn.query(
        `UPDATE stock_levels SET on_hand = ?, reserved = ?, version = version + 1, updated_at = CURRENT_TIMESTAMP(3)
         WHERE product_id = ? AND location_id = ?`,
        [ledger, active, ...at],
      )
      changed = { onHand: ledger, reserved: active, version: before.version + 1 }
      const what = findings
        .filter((x) => x.check !== 'lots')
        .map((x) =>
          x.check === 'ledger' ? `on_hand ${x.found} != ledger ${x.expected}` : `reserved ${x.found} != active reservations ${x.expected}`,
        )
      audit.push({
        entity: 'stock_level',
        entityId: level.entityId,
        reason: auditReason(ctx, what.join('; ')),
        before: { sku: level.sku, location: level.location, ...before },
        after: {
          sku: level.sku,
          location: level.location,
          ...changed,
          diff: { onHand: ledger - before.onHand, reserved: active - before.reserved },
        },
      })
    }
    for (const change of planLotFix(lots, ledger)) {
      let id = change.id
      if (id === undefined) {
        const [inserted] = await conn.query<{ insertId: number } & RowDataPacket[]>(
          `INSERT INTO lots (product_id, location_id, lot_code, qty) VALUES (?, ?, '', ?)`,
          [...at, change.after],
        )
        id = Number(inserted.insertId)
      } else await conn.query('UPDATE lots SET qty = ? WHERE id = ?', [change.after, id])
      audit.push({
        entity: 'lot',
        entityId: String(id),
        reason: auditReason(ctx, `lots sum ${lotSum} != on_hand ${ledger}`),
        before: { sku: level.sku, location: level.location, lotCode: change.lotCode, qty: change.before },
        after: { sku: level.sku, location: level.location, lotCode: change.lotCode, qty: change.after, diff: change.after - change.before },
      })
    }
    await writeAudit(conn, audit)
    return { findings, changed }
  })
}
