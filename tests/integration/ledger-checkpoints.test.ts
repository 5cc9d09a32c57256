import { describe, expect, it } from 'vitest'
import { SITE } from '../helpers/fixtures.ts'
import { useScenario } from '../helpers/scenario.ts'

// No schedulers: every run here is started by the test.
const s = useScenario('checkpoints', {
  products: 300,
  locations: 2,
  devices: 1,
  hubs: [{ RECONCILE_INCREMENTAL_MS: 0, RECONCILE_FULL_MS: 0 }],
})
const hub = () => s.hubs[0]!
const incremental = () => hub().reconciliation.runner.run({ scope: 'incremental', dryRun: false, trigger: 'cli' })
const AT = `product_id = (SELECT id FROM products WHERE sku = 'P-1') AND location_id = (SELECT id FROM locations WHERE code = 'L-1')`
/** Rows of history the level gets: far more than a run may read once it has a checkpoint. */
const HISTORY = 20_000

async function receive(qty: number) {
  const device = s.devices[0]!
  const event = device.event({ type: 'receive', barcode: 'P-1', location: 'L-1', qty })
  await device.publish(event)
  await device.waitFor((acks) => acks.some((a) => a.eventId === event.eventId && a.status === 'applied'))
}

/** Index rows MariaDB read in the meantime, server-wide (integration files run one at a time). */
async function indexReads<T>(work: () => Promise<T>): Promise<{ reads: number; result: T }> {
  const read = async () => Number((await s.inspect.rows<{ Value: string }>(`SHOW GLOBAL STATUS LIKE 'Handler_read_next'`))[0]!.Value)
  const before = await read()
  const result = await work()
  return { reads: (await read()) - before, result }
}

const checkpoint = async () => (await s.inspect.rows<{ qty_sum: number }>(`SELECT qty_sum FROM ledger_checkpoints WHERE ${AT}`))[0]
/** What the level's checkpoint must hold: the sum of its ledger rows up to the checkpoint's moment. */
const settled = async () =>
  Number(
    (
      await s.inspect.rows<{ n: string }>(
        `SELECT SUM(qty_delta) AS n FROM stock_movements WHERE ${AT} AND created_at <= (SELECT through_at FROM ledger_checkpoints WHERE ${AT})`,
      )
    )[0]!.n,
  )
const onHand = async () => (await s.inspect.rows<{ on_hand: number }>(`SELECT on_hand FROM stock_levels WHERE ${AT}`))[0]!.on_hand

describe('incremental reconciliation sums each level from its checkpoint', () => {
  it('gives a level a checkpoint, then reads only the rows after it, not the level history', async () => {
    await receive(5)
    // Two hours of history that nets to zero, as a busy pick face gathers (written set-based).
    await s.inspect.db.query(
      `INSERT INTO stock_movements (event_id, type, product_id, location_id, qty_delta, on_hand_after, triggered_by, created_at)
       SELECT CONCAT('history-', seq), 'adjust', (SELECT id FROM products WHERE sku = 'P-1'), (SELECT id FROM locations WHERE code = 'L-1'),
         IF(seq % 2 = 0, 1, -1), 5, 'import', NOW(3) - INTERVAL 2 HOUR + INTERVAL seq MICROSECOND
       FROM seq_1_to_${HISTORY}`,
    )
    const first = await indexReads(incremental)
    expect(first.result).toMatchObject({ status: 'done', discrepancies: 0 })
    expect(first.reads).toBeGreaterThanOrEqual(HISTORY)
    expect(await checkpoint()).toEqual({ qty_sum: await settled() })

    await receive(2)
    const second = await indexReads(incremental)
    expect(second.result).toMatchObject({ status: 'done', rowsChecked: 1, discrepancies: 0 })
    expect(second.reads).toBeLessThan(HISTORY / 4)
  })

  it('still finds a level changed behind the ledger, and corrects it to the whole ledger', async () => {
    await s.inspect.db.query(`UPDATE stock_levels SET on_hand = on_hand + 3 WHERE ${AT}`)
    await receive(1)
    const run = await incremental()
    expect(run).toMatchObject({ discrepancies: 1, corrections: 1 })
    expect(await onHand()).toBe(8)
    // A discrepant level's next check sums its whole ledger again.
    expect(await checkpoint()).toBeUndefined()
  })

  it('heals a checkpoint that missed a row (one committed late, dated before it) without a false correction', async () => {
    await receive(1)
    expect(await incremental()).toMatchObject({ discrepancies: 0 })
    expect(await checkpoint()).toBeDefined()
    // A row of three units dated three hours ago, with its level and lot: books that balance.
    await s.inspect.db.query(
      `INSERT INTO stock_movements (event_id, type, product_id, location_id, qty_delta, on_hand_after, triggered_by, created_at)
       SELECT 'late-row', 'adjust', product_id, location_id, 3, on_hand + 3, 'import', NOW(3) - INTERVAL 3 HOUR FROM stock_levels WHERE ${AT}`,
    )
    await s.inspect.db.query(`UPDATE stock_levels SET on_hand = on_hand + 3, version = version + 1 WHERE ${AT}`)
    await s.inspect.db.query(`UPDATE lots SET qty = qty + 3 WHERE lot_code = '' AND ${AT}`)
    await receive(1)
    const suspicious = await incremental()
    // Re-checked under its lock against the whole ledger: nothing to correct, and the checkpoint goes.
    expect(suspicious).toMatchObject({ discrepancies: 0, corrections: 0 })
    expect(await onHand()).toBe(13)
    expect(await checkpoint()).toBeUndefined()
    await receive(1)
    expect(await incremental()).toMatchObject({ discrepancies: 0 })
    // Rebuilt from the whole ledger, the late row included.
    expect(await checkpoint()).toEqual({ qty_sum: await settled() })
    expect(await settled()).toBeGreaterThanOrEqual(3)
  })

  it('keeps to the rows after the checkpoints when a run checks more levels than one statement may list', async () => {
    // 600 levels with 200 rows of history each (netting to zero, so no stock), touched by hand.
    await s.inspect.db.query(
      `INSERT INTO stock_movements (event_id, type, product_id, location_id, qty_delta, on_hand_after, triggered_by, created_at)
       SELECT CONCAT('wide-', p.id, '-', l.id, '-', k.seq), 'adjust', p.id, l.id, IF(k.seq % 2 = 0, 1, -1), 0, 'import', NOW(3) - INTERVAL 1 HOUR
       FROM products p JOIN locations l JOIN seq_1_to_200 k WHERE p.sku <> 'P-1'`,
    )
    const members = s.fixture.skus.filter((sku) => sku !== 'P-1').flatMap((sku) => [`${SITE}|L-1@${sku}`, `${SITE}|L-2@${sku}`])
    const touch = () => s.inspect.redis.sAdd(hub().services.liveCache.keys.dirty, members)
    await touch()
    const first = await indexReads(incremental)
    expect(first.result).toMatchObject({ status: 'done', discrepancies: 0 })
    expect(first.reads).toBeGreaterThanOrEqual(members.length * 200)
    await touch()
    const second = await indexReads(incremental)
    expect(second.result).toMatchObject({ status: 'done', discrepancies: 0 })
    expect(second.reads).toBeLessThan(members.length * 50)
  })
})
