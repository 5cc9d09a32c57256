import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { SITE } from '../helpers/fixtures.ts'
import { useFaultStack } from './harness/fault-stack.ts'
import { checkAll } from './invariants/check-all.ts'
import { startWorkload } from './workload/workload-run.ts'

const run = promisify(execFile)
const stack = useFaultStack({ label: 'fcheck', products: 4, devices: 2 })

/** `npm run check-invariants` as an operator runs it, against this stack's deployment. */
async function cli(): Promise<{ code: number; out: string }> {
  const s = stack.current
  const env = { ...process.env, ...s.env.processEnv({ LOG_LEVEL: 'error' }) }
  return run(process.execPath, ['--import', 'tsx', 'hub/src/cli/check-invariants.ts', '--settle-ms', '300'], { env }).then(
    ({ stdout }) => ({ code: 0, out: stdout }),
    (err: { code: number; stdout: string }) => ({ code: err.code, out: err.stdout }),
  )
}

// The checker must fail when the books are wrong, or its silence after the fault tests proves nothing.
describe('the invariant checker', () => {
  it('passes a healthy deployment and names each kind of violation it is shown', async () => {
    const s = stack.current
    await s.startHub()
    const work = await startWorkload(s, {
      seed: 7,
      shape: { devices: 2, productsPerDevice: 2, locations: 2, eventsPerDevice: 30 },
      ratePerSecond: 100,
    })
    expect(await work.settle()).toEqual([])
    await work.stop()
    expect(await checkAll(s, { item: 0, run: work })).toEqual([])
    const healthy = await cli()
    expect(healthy.code, healthy.out).toBe(0)
    expect(healthy.out).toContain('all invariants hold')

    const { pool: db, redis } = s.inspect
    const prefix = s.env.env.REDIS_PREFIX!
    const [level] = await s.inspect.rows<{ product_id: number; location_id: number }>(
      'SELECT * FROM stock_levels WHERE on_hand > 0 LIMIT 1',
    )
    // A level off its ledger, an event half written, work left in an inbox: each must show.
    const conn = await db.getConnection()
    // Past the CHECK constraints (MariaDB lets a session skip them), the last wall I2 relies on.
    await conn.query('SET SESSION check_constraint_checks = 0')
    await conn.query('UPDATE stock_levels SET on_hand = on_hand + 1, reserved = on_hand + 5 WHERE product_id = ? AND location_id = ?', [
      level!.product_id,
      level!.location_id,
    ])
    conn.release()
    await db.query("DELETE FROM stock_movements WHERE type = 'move' AND leg = 1 LIMIT 1")
    await redis.rPush(`${prefix}:inbox:0`, '{}')
    // A cached level whose figures agree but which counts as available where orders may not reserve.
    const [other] = await s.inspect.rows<{ sku: string; code: string; on_hand: number }>(
      `SELECT p.sku, l.code, s.on_hand FROM stock_levels s JOIN products p ON p.id = s.product_id JOIN locations l ON l.id = s.location_id
       WHERE s.on_hand > 0 AND NOT (s.product_id = ? AND s.location_id = ?) LIMIT 1`,
      [level!.product_id, level!.location_id],
    )
    await db.query('UPDATE locations SET reservable = false WHERE site = ? AND code = ?', [SITE, other!.code])
    const broken = await cli()
    expect(broken.code).toBe(1)
    for (const id of ['FAIL I1', 'FAIL I2', 'FAIL I3', 'FAIL I6', 'FAIL I7']) expect(broken.out).toContain(id)
    expect(broken.out).toContain(
      `${SITE}:${other!.sku}@${other!.code}: cache ${other!.on_hand}/0/${other!.on_hand} != database ${other!.on_hand}/0/0`,
    )
    // The level was written past the stock core, so the change log does not have it either.
    expect(broken.out).toMatch(/: level \d+\/\d+ v\d+, change log \(seq \d+\)/)
    const violations = await checkAll(s, { item: 0, run: work, settleMs: 300 })
    expect(violations.some((v) => v.startsWith('model '))).toBe(true)
  })
})
