/** Errors the HTTP API answers with, by code (pattern: fastify's createError table). */
export const HubErrors = {
  NOT_FOUND: { status: 404, message: 'Not found' },
  HELD_DECIDED: { status: 409, message: 'The held event has already been decided' },
  HELD_STILL_UNAPPLIABLE: { status: 409, message: 'The held event still cannot be applied as approved' },
  AT_IN_FUTURE: { status: 400, message: 'Stock as of a time can only be asked for the past' },
  MOVEMENT_IS_VOID: { status: 409, message: 'A void cannot be voided' },
  MOVEMENT_NOT_VOIDABLE: { status: 409, message: 'This kind of movement cannot be voided' },
  MOVEMENT_ALREADY_VOIDED: { status: 409, message: 'The movement is already voided' },
  INSUFFICIENT_STOCK: { status: 409, message: 'Not enough stock' },
  LOT_SHORT: { status: 409, message: 'A lot the movement went through no longer holds its stock' },
} as const

export type HubErrorCode = keyof typeof HubErrors

export class HubError extends Error {
  readonly statusCode: number
  constructor(
    readonly code: HubErrorCode,
    detail?: string,
    /** Per-item particulars the client can act on (e.g. which level is short), sent as `details`. */
    readonly details?: readonly object[],
  ) {
    super(detail ? `${HubErrors[code].message}: ${detail}` : HubErrors[code].message)
    this.statusCode = HubErrors[code].status
  }
}
