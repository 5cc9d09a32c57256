import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import fp from 'fastify-plugin'

export const REQUEST_ID_HEADER = 'x-request-id'
/** A caller's id is kept only when it is short and plain, so it cannot flood or forge log lines. */
const ACCEPTED = /^[A-Za-z0-9._:-]{1,128}$/

/**
 * Fastify options: each request's id (`reqId` in every log line of the request) is the caller's
 * X-Request-Id when it sent a usable one (a proxy's or the ordering site's), else a new UUID.
 */
export const requestIdOptions = {
  requestIdHeader: false as const,
  genReqId(req: IncomingMessage): string {
    const given = req.headers[REQUEST_ID_HEADER]
    return typeof given === 'string' && ACCEPTED.test(given) ? given : randomUUID()
  },
}

/** Answers every request with its id, so a caller can quote it and an operator find its log lines. */
export default fp(
  async function requestId(app) {
    app.addHook('onRequest', (request, reply, done) => {
      reply.header(REQUEST_ID_HEADER, request.id)
      done()
    })
  },
  { name: 'request-id' },
)
