import { ErrorCodes, isErrorCode } from '@wh/shared/errors'

/** The words a picker reads for a scan's status. */
export const STATUS_WORDS: Record<string, string> = {
  queued: 'Waiting',
  applied: 'Done',
  duplicate: 'Done',
  held: 'Held',
  rejected: 'Refused',
}

/** Why the hub held or refused a scan: the code's title from the error table, then the hub's own detail. */
export function reasonText(code: string | undefined, message: string | undefined): string {
  const title = code && isErrorCode(code) ? ErrorCodes[code].title : code
  if (!title) return message ?? ''
  return message && message !== title ? `${title}: ${message}` : title
}
