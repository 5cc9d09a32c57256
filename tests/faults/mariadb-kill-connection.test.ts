import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { runFaultScenario } from './harness/fault-scenario.ts'
import { useFaultStack, type FaultStack } from './harness/fault-stack.ts'
import { byProfile } from './harness/profile.ts'

// Item 16, its first half. The database goes away in the middle of a batch's transaction, its
// writes sent and not committed (the worker holds each batch there a moment, HUB_FAULT_POINT=
// hold-before-commit: a batch otherwise commits one round trip after its writes, too soon to be
// caught). InnoDB rolls the transaction back; the batch is retried; nothing is half written (I3's
// whole-move and lot checks, I1) and nothing is lost (I4).

/** Kills the hub's connection whose transaction has written rows and not committed (waits up to 10 s for one). */
async function killOpenTransaction(stack: FaultStack): Promise<boolean> {
  const deadline = Date.now() + 10_000
  while (Date.now() < deadline) {
    const open = await stack.inspect.rows<{ id: number }>(
      `SELECT t.trx_mysql_thread_id AS id FROM information_schema.innodb_trx t
       JOIN information_schema.processlist p ON p.id = t.trx_mysql_thread_id
       WHERE p.db = ? AND p.id <> CONNECTION_ID() AND t.trx_rows_modified > 0`,
      [stack.env.database],
    )
    if (open.length > 0) {
      await stack.inspect.pool.query(`KILL CONNECTION ${Number(open[0]!.id)}`).catch(() => undefined) // it may have just ended
      return true
    }
    await sleep(5)
  }
  return false
}

describe('item 16: the database connection killed mid-transaction', () => {
  const stack = useFaultStack({ label: 'f16kill' })
  it('rolls back, retries, and writes no partial transaction', async () => {
    const kills = byProfile({ ci: 3, full: 8 })
    await runFaultScenario(stack.current, {
      item: 16,
      name: 'mariadb-kill-connection',
      hubs: [{ HUB_FAULT_POINT: 'hold-before-commit' }],
      inject: async ({ stack: s, fault }) => {
        let killed = 0
        for (let k = 0; k < kills; k++)
          if (await killOpenTransaction(s)) {
            killed++
            fault('mariadb KILL CONNECTION mid-transaction')
          }
        expect(killed, 'transactions caught open and killed').toBeGreaterThan(0)
      },
    })
  })
})
