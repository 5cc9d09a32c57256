import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { runFaultScenario } from './harness/fault-scenario.ts'
import { useFaultStack } from './harness/fault-stack.ts'
import { byProfile, seedFor } from './harness/profile.ts'

// Item 17: lock waits and deadlocks. Another session holds stock-level rows the workers need (and
// asks for them in the opposite order), on a server whose lock wait gives up after 1 s: batches
// see errno 1205 and 1213, roll back and retry. Retries are counted from the workers' own logs.
const stack = useFaultStack({ label: 'f17locks' })

describe('item 17: deadlocks and lock waits', () => {
  it('keeps I1 and the reference model, and counts the retries', async () => {
    const s = stack.current
    await s.inspect.pool.query('SET GLOBAL innodb_lock_wait_timeout = 1')
    const rounds = byProfile({ ci: 4, full: 12 })
    let rnd = seedFor('lock-contention')
    const next = (n: number) => (rnd = (Math.imul(rnd, 48271) >>> 0) % 2147483647) % n
    const { hubs } = await runFaultScenario(s, {
      item: 17,
      name: 'lock-contention',
      shape: { eventsPerDevice: 80 },
      injectAfter: 30,
      inject: async ({ stack: st, fault }) => {
        const conn = await st.inspect.pool.getConnection()
        try {
          for (let r = 0; r < rounds; r++) {
            const levels = await st.inspect.rows<{ product_id: number; location_id: number }>(
              'SELECT product_id, location_id FROM stock_levels',
            )
            if (levels.length < 2) continue
            const [a, b] = [levels[next(levels.length)]!, levels[next(levels.length)]!]
            await conn.beginTransaction()
            // Hold one row past the workers' lock wait, then reach for a second one they may hold.
            await conn.query('SELECT on_hand FROM stock_levels WHERE product_id = ? AND location_id = ? FOR UPDATE', [
              a.product_id,
              a.location_id,
            ])
            await sleep(1500)
            await conn
              .query('SELECT on_hand FROM stock_levels WHERE product_id = ? AND location_id = ? FOR UPDATE', [b.product_id, b.location_id])
              .catch(() => undefined) // this session may be the deadlock's victim
            await conn.rollback()
            fault('competing row locks held past the lock wait')
          }
        } finally {
          conn.release()
        }
      },
    })
    const retries = hubs
      .flatMap((h) => h.output().split('\n'))
      .filter((l) => /batch waits/.test(l) && /(1205|1213|Lock wait|Deadlock)/i.test(l)).length
    console.log(`item 17: ${retries} batch retries after lock waits or deadlocks`)
    expect(retries).toBeGreaterThan(0)
  })
})
