import { createHash } from 'node:crypto'
import type { ScanEvent } from '@wh/shared'

/** SHA-256 of the event with sorted keys and without its signature: equal events hash equal. */
export function payloadHash(event: ScanEvent): string {
  const { signature: _signature, ...rest } = event
  const canonical = JSON.stringify(rest, Object.keys(rest).sort())
  return createHash('sha256').update(canonical).digest('hex')
}
