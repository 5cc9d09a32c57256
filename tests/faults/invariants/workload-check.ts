import type { Inspector } from '../../helpers/inspect.ts'
import { ReferenceModel, type Settled } from '../workload/reference-model.ts'
import type { WorkloadRun } from '../workload/workload-run.ts'

export interface WorkloadVerdict {
  violations: string[]
  /** Events the devices saw answered. */
  acked: number
  /** Events answered `applied` whose ledger row is missing: acknowledged and lost. */
  lost: number
}

/**
 * Checks a workload's outcome against the reference model and the ledger:
 * - I4: every scanned event was answered (the caller waited for that after healing);
 * - the model: each event settled as the model says it must, in device order;
 * - I3: each applied event is in the ledger once, each held or rejected one not at all, each held
 *   one is in the held list;
 * - the final levels equal the model's.
 */
export async function verifyWorkload(run: WorkloadRun, inspect: Inspector): Promise<WorkloadVerdict> {
  const violations: string[] = []
  const model = new ReferenceModel()
  const expected = new Map<string, Settled | 'unanswered'>()
  let acked = 0
  for (const record of run.records) {
    const answers = new Map(record.outcomes.map((o) => [o.event.eventId, o.ack]))
    for (const event of [...record.events].sort((a, b) => a.deviceSeq - b.deviceSeq)) {
      const want = model.apply(event)
      const ack = answers.get(event.eventId)
      if (!ack) {
        violations.push(`I4 ${record.deviceId} seq ${event.deviceSeq} (${event.type}) never answered`)
        expected.set(event.eventId, 'unanswered')
        continue
      }
      acked++
      const got = ack.settledAs ?? ack.status
      expected.set(event.eventId, want)
      if (got !== want)
        violations.push(
          `model ${record.deviceId} seq ${event.deviceSeq} ${event.type} ${event.qty} ${event.barcode}@${event.location}: ${got}, expected ${want}`,
        )
    }
  }

  const ids = [...expected.keys()]
  const inLedger = new Map<string, number>()
  const held = new Set<string>()
  for (let i = 0; i < ids.length; i += 1000) {
    const chunk = ids.slice(i, i + 1000)
    for (const r of await inspect.rows<{ event_id: string; n: number }>(
      'SELECT event_id, COUNT(*) AS n FROM stock_movements WHERE leg = 0 AND event_id IN (?) GROUP BY event_id',
      [chunk],
    ))
      inLedger.set(r.event_id, Number(r.n))
    for (const r of await inspect.rows<{ event_id: string }>('SELECT event_id FROM held_events WHERE event_id IN (?)', [chunk]))
      held.add(r.event_id)
  }
  let lost = 0
  for (const [id, want] of expected) {
    const n = inLedger.get(id) ?? 0
    if (want === 'applied' && n !== 1) {
      if (n === 0) lost++
      violations.push(`I3 event ${id} applied but ${n} times in the ledger`)
    }
    if ((want === 'held' || want === 'rejected') && n !== 0) violations.push(`I3 event ${id} ${want} but ${n} times in the ledger`)
    if (want === 'held' && !held.has(id)) violations.push(`I3 event ${id} held but not in the held list`)
  }

  const stored = new Map((await inspect.levels()).map((l) => [`${l.sku}@${l.location}`, l.onHand]))
  for (const key of new Set([...model.levels.keys(), ...stored.keys()])) {
    const [want, got] = [model.levels.get(key) ?? 0, stored.get(key) ?? 0]
    if (want !== got) violations.push(`model ${key}: on hand ${got}, expected ${want}`)
  }
  return { violations, acked, lost }
}
