import { describe, expect, it } from 'vitest'
import type { Ack, HeldEvent, ScanEvent } from '@wh/shared'
import { partitionOf } from '../../hub/src/partition/partition-key.ts'
import { eventually } from '../helpers/eventually.ts'
import { TestDevice } from '../helpers/test-device.ts'
import { countFault } from './harness/fault-log.ts'
import { FAULT_HUB_ENV, type StartedHub } from './harness/fault-stack.ts'
import { useSharedStack } from './harness/shared-stack.ts'
import { checkAll } from './invariants/check-all.ts'

// Item 30: one event the database refuses for good (HUB_FAULT_POISON fails every batch that would
// apply its SKU) is set aside, held as APPLY_FAILED, while the rest of its partition goes on.
const stack = useSharedStack({ label: 'f30aside', products: 8, locations: 2, devices: 2 })

// P-1 is poisoned; P-5 shares its partition (product ids 1 and 5), P-2 is in another.
const [POISONED, NEIGHBOUR, ELSEWHERE] = ['P-1', 'P-5', 'P-2']

/** Publishes `events` back to back and gives each one's first ack and how long after its publish it came. */
async function sendAll(device: TestDevice, events: ScanEvent[]): Promise<Map<string, { ack: Ack; ms: number }>> {
  const sentAt = new Map<string, number>()
  const answered = new Map<string, { ack: Ack; ms: number }>()
  // Waiting starts before the first publish, so every ack is stamped as it arrives.
  const all = device.waitFor((acks) => {
    for (const ack of acks) {
      const at = ack.eventId ? sentAt.get(ack.eventId) : undefined
      if (at !== undefined && !answered.has(ack.eventId!)) answered.set(ack.eventId!, { ack, ms: Date.now() - at })
    }
    return answered.size === events.length
  }, 30_000)
  for (const e of events) {
    sentAt.set(e.eventId, Date.now())
    await device.publish(e)
  }
  await all
  return answered
}

async function api(hub: StartedHub, path: string, body: object) {
  const response = await fetch(`${hub.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.current.fixture.keys.admin}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return { status: response.status, body: (await response.json()) as { code?: string; held?: HeldEvent } }
}

const heldRows = (eventId: string) =>
  stack.current.inspect.rows<{ id: number; reason_code: string; status: string }>(
    'SELECT id, reason_code, status FROM held_events WHERE event_id = ?',
    [eventId],
  )

describe('item 30: one event the database refuses for good', () => {
  it('is set aside while its partition goes on, stays held when approved and refused again, and is approved or rejected once healed', async () => {
    const s = stack.current
    expect(partitionOf(1, FAULT_HUB_ENV.PARTITIONS!)).toBe(partitionOf(5, FAULT_HUB_ENV.PARTITIONS!))
    let hub = await s.startHub({ HUB_FAULT_POISON: POISONED })
    const device = await TestDevice.connect(s.env, s.fixture.devices[0]!)
    const here = s.fixture.locations[0]!
    const scan = (barcode: string, qty = 1) => device.event({ type: 'receive', barcode, location: here, qty })
    const [toApprove, toReject] = [scan(POISONED, 4), scan(POISONED, 6)]
    const neighbours = Array.from({ length: 60 }, (_, i) => scan(i % 3 === 2 ? ELSEWHERE : NEIGHBOUR))
    // The poisoned receipts go in among the others, so they share batches with them.
    const events = [...neighbours.slice(0, 20), toApprove, ...neighbours.slice(20, 40), toReject, ...neighbours.slice(40)]
    const answered = await sendAll(device, events)
    countFault(30, 'poisoned SKU')

    for (const poisoned of [toApprove, toReject]) {
      expect(answered.get(poisoned.eventId)!.ack).toMatchObject({ status: 'held', code: 'APPLY_FAILED', onHand: 0 })
      expect(await heldRows(poisoned.eventId)).toMatchObject([{ reason_code: 'APPLY_FAILED', status: 'pending' }])
    }
    expect(neighbours.map((e) => answered.get(e.eventId)!.ack.status)).toEqual(neighbours.map(() => 'applied'))
    const ms = (list: ScanEvent[]) => list.map((e) => answered.get(e.eventId)!.ms).sort((a, b) => a - b)
    const behind = ms(neighbours.slice(20).filter((e) => e.barcode === NEIGHBOUR))
    console.log(
      `item 30: set aside in ${ms([toApprove, toReject]).join(', ')} ms; ${NEIGHBOUR} (same partition) after them answered in ` +
        `p50 ${behind[Math.floor(behind.length / 2)]} ms, max ${behind.at(-1)} ms`,
    )

    // Approved while the database still refuses it: it stays held, and the admin is told.
    const [approveRow] = await heldRows(toApprove.eventId)
    const refused = await api(hub, `/api/held-events/${approveRow!.id}/approve`, { reason: 'try again' })
    expect(refused).toMatchObject({ status: 409, body: { code: 'HELD_STILL_UNAPPLIABLE' } })
    expect(await heldRows(toApprove.eventId)).toMatchObject([{ status: 'pending' }])
    // Rejected: settled, and its device told.
    const [rejectRow] = await heldRows(toReject.eventId)
    expect(await api(hub, `/api/held-events/${rejectRow!.id}/reject`, { reason: 'bad label' })).toMatchObject({ status: 200 })
    await device.waitFor(() => device.acksFor(toReject.eventId).some((a) => a.status === 'rejected'))

    // Healed (the fault gone with a new hub process), the approval applies it, once.
    await hub.stop()
    hub = await s.startHub()
    const approved = await api(hub, `/api/held-events/${approveRow!.id}/approve`, { reason: 'fixed' })
    expect(approved).toMatchObject({ status: 200, body: { held: { status: 'approved' } } })
    await device.waitFor(() => device.acksFor(toApprove.eventId).some((a) => a.status === 'applied'))
    await device.publish(toApprove)
    await device.waitFor(() => device.acksFor(toApprove.eventId).some((a) => a.status === 'duplicate'))

    expect(device.acksFor(toApprove.eventId).map((a) => a.code ?? a.status)).toEqual(['APPLY_FAILED', 'applied', 'duplicate'])
    expect(device.acksFor(toReject.eventId).map((a) => a.code ?? a.status)).toEqual(['APPLY_FAILED', 'HELD_REJECTED'])
    expect(await s.inspect.movementCount(toApprove.eventId)).toBe(1)
    expect(await s.inspect.movementCount(toReject.eventId)).toBe(0)
    expect((await s.inspect.levels()).find((l) => l.sku === POISONED)).toMatchObject({ location: here, onHand: 4 })
    await device.close()
    await hub.stop()
    expect(await checkAll(s, { item: 30 })).toEqual([])
  })

  it('a worker killed right after committing a set-aside: the replay records and acks it once', async () => {
    const s = stack.current
    await s.startHub({ HUB_ROLES: 'api,ingest' })
    const device = await TestDevice.connect(s.env, s.fixture.devices[1]!)
    const location = s.fixture.locations[0]!
    const poisoned = device.event({ type: 'receive', barcode: POISONED, location, qty: 2 })
    const others = Array.from({ length: 10 }, () => device.event({ type: 'receive', barcode: NEIGHBOUR, location, qty: 1 }))
    // The poisoned receipt is in its partition's inbox before the others are sent, so the victim's
    // first batch starts with it whatever the machine's load does to arrival order.
    await device.publish(poisoned)
    const inbox = `${s.env.env.REDIS_PREFIX}:inbox:${partitionOf(1, FAULT_HUB_ENV.PARTITIONS!)}`
    await eventually('the poisoned receipt admitted', async () => (await s.inspect.redis.lLen(inbox)) > 0)
    for (const e of others) await device.publish(e)
    // Its first commit holds the poisoned receipt (first in its partition); it dies before any ack.
    const victim = await s.startHub({ HUB_ROLES: 'worker', HUB_FAULT_POINT: 'after-commit', HUB_FAULT_POISON: POISONED }, 'worker')
    await expect(victim.exited).resolves.toBe('SIGKILL')
    expect(victim.output(), 'the victim set the receipt aside before its commit').toContain('event set aside')
    countFault(30, 'worker SIGKILL after a set-aside commit')
    await s.startHub({ HUB_ROLES: 'worker', HUB_FAULT_POISON: POISONED }, 'worker')
    // The stalled drain comes back after its lock (10 s) and the stalled check (5 s).
    await device.waitFor(() => [poisoned, ...others].every((e) => device.acksFor(e.eventId).length > 0), 45_000)

    expect(device.acksFor(poisoned.eventId).map((a) => a.status)).toEqual(['held'])
    expect(await heldRows(poisoned.eventId)).toMatchObject([{ reason_code: 'APPLY_FAILED', status: 'pending' }])
    expect(others.flatMap((e) => device.acksFor(e.eventId).map((a) => a.status))).toEqual(others.map(() => 'applied'))
    expect(await s.inspect.movementCount(poisoned.eventId)).toBe(0)
    await device.close()
    expect(await checkAll(s, { item: 30 })).toEqual([])
  })
})
