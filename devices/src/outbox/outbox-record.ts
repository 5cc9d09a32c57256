import { createHash } from 'node:crypto'
import { ScanEventSchema, createValidator, type ScanEvent } from '@wh/shared'

/**
 * One line of the outbox log. `add`: a new pending event; `ack`: it was acknowledged at `at`
 * (unix ms) and is history now (logs written before history have no `at`: they are not kept);
 * `reopen`: these history events are pending again; `seq`: the next deviceSeq, written by compaction.
 */
export type OutboxRecord =
  | { op: 'add'; event: ScanEvent }
  | { op: 'ack'; eventId: string; at?: number }
  | { op: 'reopen'; eventIds: string[] }
  | { op: 'seq'; next: number }

const checkEvent = createValidator(ScanEventSchema)
const digest = (json: string) => createHash('sha256').update(json).digest('hex').slice(0, 16)

/** One line: a checksum of the JSON, a tab, the JSON. A torn write or a flipped bit fails the check. */
export function encodeRecord(record: OutboxRecord): string {
  const json = JSON.stringify(record)
  return `${digest(json)}\t${json}\n`
}

/** The record on a line, or undefined when the line is damaged in any way. */
export function decodeRecord(line: string): OutboxRecord | undefined {
  const tab = line.indexOf('\t')
  const json = line.slice(tab + 1)
  if (tab !== 16 || digest(json) !== line.slice(0, 16)) return undefined
  try {
    const record = JSON.parse(json) as OutboxRecord
    if (record.op === 'add') return checkEvent(record.event).ok ? record : undefined
    if (record.op === 'ack')
      return typeof record.eventId === 'string' && (record.at === undefined || Number.isFinite(record.at)) ? record : undefined
    if (record.op === 'reopen')
      return Array.isArray(record.eventIds) && record.eventIds.every((id) => typeof id === 'string') ? record : undefined
    if (record.op === 'seq') return Number.isSafeInteger(record.next) ? record : undefined
  } catch {
    // A line whose checksum matches but is not JSON cannot come from encodeRecord.
  }
  return undefined
}
