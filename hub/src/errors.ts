import { ErrorCodes, type ErrorCode } from '@wh/shared'

/**
 * What domain code throws to refuse a request: a code from the shared table (its status and
 * title come from there), this occurrence's particulars, and per-item details the client can act
 * on. The app's problem serializer renders it (pattern: fastify's createError).
 */
export class HubError extends Error {
  readonly statusCode: number
  constructor(
    readonly code: ErrorCode,
    /** What was wrong with this request, sent as the problem's `detail`. */
    readonly detail?: string,
    /** Per-item particulars (e.g. which level is short), sent as `details`. */
    readonly details?: readonly object[],
  ) {
    super(detail ? `${ErrorCodes[code].title}: ${detail}` : ErrorCodes[code].title)
    this.statusCode = ErrorCodes[code].status
  }
}
