import { createHash } from 'node:crypto'
import type { ScanEvent } from '@wh/shared'
import { canonicalEvent } from '@wh/shared/signing'

/** SHA-256 of the event's canonical form (sorted keys, no signature): equal events hash equal. */
export function payloadHash(event: ScanEvent): string {
  return createHash('sha256').update(canonicalEvent(event)).digest('hex')
}
