import { describe, expect, it } from 'vitest'
import { TestDevice } from '../helpers/test-device.ts'
import { countBadInputs } from './harness/fault-log.ts'
import { testSeed } from './harness/fault-test.ts'
import { useSharedStack } from './harness/shared-stack.ts'
import { checkAll } from './invariants/check-all.ts'
import { answersTo } from './inputs/send-and-wait.ts'

// Item 10 on one hub.
const stack = useSharedStack({ label: 'f10clock', products: 2, locations: 1, devices: 2 })
const YEAR = 365.25 * 24 * 3_600_000

describe('item 10: scan times 10 years off', () => {
  it('are flagged in the ack and the log, stored as sent, and the hub orders by arrival', async () => {
    const s = stack.current
    testSeed('clock-skew')
    const hub = await s.startHub()
    const [a, b] = await Promise.all(s.fixture.devices.map((id) => TestDevice.connect(s.env, id)))
    const [sku] = s.fixture.skus as [string]
    const location = s.fixture.locations[0]!
    const at = (offset: number) => new Date(Date.now() + offset).toISOString()
    // Device order (and arrival) says: count 5, pick 2, receive 1 -> 4. The scan times say the pick
    // came ten years before the count, and B's receipt, sent last, ten years before everything.
    const events = [
      a!.event({ type: 'count', barcode: sku, location, qty: 5, scannedAt: at(10 * YEAR) }),
      a!.event({ type: 'pick', barcode: sku, location, qty: 2, scannedAt: at(-10 * YEAR) }),
      a!.event({ type: 'receive', barcode: sku, location, qty: 1, scannedAt: at(0) }),
    ]
    const answers = await answersTo(a!, events)
    const [late] = await answersTo(b!, [b!.event({ type: 'receive', barcode: sku, location, qty: 3, scannedAt: at(-10 * YEAR) })])
    countBadInputs(10, 3)

    expect(answers.map((x) => [x.status, x.onHand, x.warning])).toEqual([
      ['applied', 5, 'SCANNED_AT_SKEWED'],
      ['applied', 3, 'SCANNED_AT_SKEWED'],
      ['applied', 4, undefined],
    ])
    expect(late).toMatchObject({ status: 'applied', onHand: 7, warning: 'SCANNED_AT_SKEWED' })
    const rows = await s.inspect.rows<{ device_seq: number; on_hand_after: number; scanned_at: Date }>(
      'SELECT device_seq, on_hand_after, scanned_at FROM stock_movements ORDER BY id',
    )
    expect(rows.map((r) => r.on_hand_after)).toEqual([5, 3, 4, 7])
    // Stored as the device said, to the millisecond: the flag is the ack's and the log's.
    expect(rows.slice(0, 3).map((r) => r.scanned_at.toISOString())).toEqual(events.map((e) => e.scannedAt))
    const warned = hub
      .output()
      .split('\n')
      .filter((l) => l.includes('scannedAt far from the hub clock'))
    expect(warned).toHaveLength(3)
    await Promise.all([a!.close(), b!.close()])
    expect(await checkAll(s, { item: 10 })).toEqual([])
  })
})
