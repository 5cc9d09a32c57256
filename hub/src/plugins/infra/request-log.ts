import { LogController, type FastifyReply, type FastifyRequest } from 'fastify'
import type { Config } from '../../config.ts'

const VERBOSE = new Set(['debug', 'trace'])

/**
 * Fastify's per-request lines, cut to those worth keeping. Its "incoming request" and "request
 * completed" pair for every request was about 12% of the API's CPU at the ordering site's rates
 * (a profile of the stock-check loop) and most of the log volume, telling nothing the metrics do
 * not. Kept: a request that failed (4xx at info; 5xx, and an error while answering, as Fastify
 * logs them) or was slow (REQUEST_SLOW_MS, warn), with method, URL, status and time, under the
 * request's `reqId` and its caller. LOG_LEVEL=debug logs every request as Fastify does. Fastify's
 * other lines (route not found, stream and serializer errors) are unchanged.
 */
class HubLogController extends LogController {
  constructor(private readonly slowMs: number) {
    super()
  }

  override incomingRequest(request: FastifyRequest, reply: FastifyReply) {
    if (VERBOSE.has(request.log.level)) super.incomingRequest(request, reply)
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply) {
    if (error || VERBOSE.has(request.log.level)) return super.requestCompleted(error, request, reply)
    const status = reply.statusCode
    const responseTime = reply.elapsedTime
    const slow = responseTime >= this.slowMs
    if (status < 400 && !slow) return
    const line = { req: request, res: reply, responseTime }
    if (status >= 500 || slow) request.log.warn(line, slow ? 'slow request' : 'request completed')
    else request.log.info(line, 'request completed')
  }
}

/** Fastify options: the hub's log controller. */
export const requestLogOptions = (config: Pick<Config, 'REQUEST_SLOW_MS'>) => ({
  logController: new HubLogController(config.REQUEST_SLOW_MS),
})
