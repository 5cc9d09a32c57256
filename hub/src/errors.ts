/** Errors the HTTP API answers with, by code (pattern: fastify's createError table). */
export const HubErrors = {
  NOT_FOUND: { status: 404, message: 'Not found' },
} as const

export type HubErrorCode = keyof typeof HubErrors

export class HubError extends Error {
  readonly statusCode: number
  constructor(
    readonly code: HubErrorCode,
    detail?: string,
  ) {
    super(detail ? `${HubErrors[code].message}: ${detail}` : HubErrors[code].message)
    this.statusCode = HubErrors[code].status
  }
}
