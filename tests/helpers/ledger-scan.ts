import { expect } from 'vitest'
import type { ScanEvent } from '@wh/shared'
import type { Scenario } from './scenario.ts'

/** Sends a real scan through MQTT from the scenario's first device, waits for its `applied` ack and returns its ledger rows (legs in order). */
export async function scanIntoLedger(s: Scenario, fields: Parameters<Scenario['devices'][number]['event']>[0]) {
  const device = s.devices[0]!
  const event: ScanEvent = device.event(fields)
  await device.publish(event)
  const [ack] = await device
    .waitFor((acks) => acks.some((a) => a.eventId === event.eventId))
    .then((a) => a.filter((x) => x.eventId === event.eventId))
  expect(ack).toMatchObject({ status: 'applied' })
  return s.inspect.rows<{ id: number; leg: number; created_at: Date }>(
    'SELECT id, leg, created_at FROM stock_movements WHERE event_id = ? ORDER BY leg',
    [event.eventId],
  )
}
