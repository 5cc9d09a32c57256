import { describe, expect, it } from 'vitest'
import type { ScanEvent } from '@wh/shared'
import type { ApplyOptions, BatchResult } from '../../hub/src/apply/batch-apply.ts'
import { planBatch } from '../../hub/src/apply/batch-plan.ts'
import { createSetAside } from '../../hub/src/apply/set-aside.ts'
import type { QueuedEvent } from '../../hub/src/partition/queued-event.ts'

const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined }

function batch(n: number): QueuedEvent[] {
  return Array.from({ length: n }, (_, i) => {
    const event: ScanEvent = { eventId: `e${i}`, deviceId: 'D1', deviceSeq: i + 1, type: 'receive', barcode: 'P1', location: 'A' }
    return { event, site: 's1', hash: `h${i}`, productId: 1 + (i % 3), sku: `P${1 + (i % 3)}`, locationId: 10, locationCode: 'A', qty: 1 }
  })
}

const outOfRange = () => Object.assign(new Error('BIGINT value is out of range'), { errno: 1690, code: 'ER_DATA_OUT_OF_RANGE' })

/**
 * A database that refuses any batch applying one of `poisoned`, as a column's range would, and
 * counts what it was asked: trials (rolled back) and commits.
 */
function database(
  poisoned: Set<string>,
  fail = (items: QueuedEvent[], aside: ReadonlyMap<string, string>) =>
    items.some((i) => poisoned.has(i.event.eventId) && !aside.has(i.event.eventId)),
) {
  const calls = { trials: 0, commits: [] as BatchResult[] }
  const apply = async (items: QueuedEvent[], { aside = new Map(), trial }: ApplyOptions): Promise<BatchResult> => {
    if (trial) calls.trials++
    if (fail(items, aside)) throw outOfRange()
    const result = { plan: planBatch(items, { levels: new Map(), settled: new Map() }, aside), levels: new Map() }
    if (!trial) calls.commits.push(result)
    return result
  }
  return { apply, calls }
}

const statuses = (result: BatchResult) => result.plan.outcomes.map((o) => `${o.item.event.eventId}:${o.ack.code ?? o.ack.status}`)

describe('setting aside the event a batch cannot apply', () => {
  it('finds the one refused event of 100 in a few rolled-back trials, holds it, and commits the rest once', async () => {
    const db = database(new Set(['e37']))
    const result = await createSetAside(db.apply, quiet)(batch(100))
    expect(db.calls.commits).toHaveLength(1)
    expect(statuses(result).filter((s) => !s.endsWith(':applied'))).toEqual(['e37:APPLY_FAILED'])
    expect(result.plan.held.map((h) => h.item.event.eventId)).toEqual(['e37'])
    expect(result.plan.movements).toHaveLength(99)
    // log2(100) rounded up, and one trial that confirms it.
    expect(db.calls.trials).toBeLessThanOrEqual(8)
  })

  it('sets aside each of several refused events, the first and the last among them', async () => {
    const db = database(new Set(['e0', 'e5', 'e19']))
    const result = await createSetAside(db.apply, quiet)(batch(20))
    expect(result.plan.held.map((h) => h.item.event.eventId)).toEqual(['e0', 'e5', 'e19'])
    expect(result.plan.movements).toHaveLength(17)
  })

  it('sets aside the event that passes the range only after the ones before it, not those', async () => {
    // The batch fails once more than 6 units of P1 are in it: the culprit is the receipt that tips it.
    const db = database(new Set(), (items, aside) => items.filter((i) => i.sku === 'P1' && !aside.has(i.event.eventId)).length > 6)
    const result = await createSetAside(db.apply, quiet)(batch(30))
    expect(result.plan.held.map((h) => h.item.event.eventId)).toEqual(['e18', 'e21', 'e24', 'e27'])
  })

  it('sets nothing aside when every batch fails (the database itself), and throws its error for the batch to wait', async () => {
    const db = database(new Set(), () => true)
    await expect(createSetAside(db.apply, quiet)(batch(10))).rejects.toThrow('out of range')
    expect(db.calls.commits).toEqual([])
  })

  it('leaves a transient error to the retries: no trial, the error thrown', async () => {
    let calls = 0
    const apply = async (): Promise<BatchResult> => {
      calls++
      throw Object.assign(new Error('Deadlock found'), { errno: 1213 })
    }
    await expect(createSetAside(apply, quiet)(batch(10))).rejects.toThrow('Deadlock')
    expect(calls).toBe(1)
  })
})

describe('an event settled meanwhile by another partition', () => {
  it('is no reason to set anything aside: the batch is applied again', async () => {
    let raced = false
    const { apply, calls } = database(new Set(), () => {
      if (raced) return false
      raced = true
      return true
    })
    const racing = async (items: QueuedEvent[], options: ApplyOptions) => {
      try {
        return await apply(items, options)
      } catch {
        // The other partition's copy of e1 committed between this batch's read and its insert.
        throw Object.assign(new Error("Duplicate entry 'e1-0' for key 'movements_event_leg'"), { errno: 1062, code: 'ER_DUP_ENTRY' })
      }
    }
    const result = await createSetAside(racing, quiet)(batch(4))
    expect(statuses(result)).toEqual(['e0:applied', 'e1:applied', 'e2:applied', 'e3:applied'])
    expect(calls.trials).toBe(0)
    expect(calls.commits).toHaveLength(1)
  })
})
