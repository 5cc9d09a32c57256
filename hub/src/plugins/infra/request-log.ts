import fp from 'fastify-plugin'

/**
 * Fastify options: no "incoming request" / "request completed" pair for every request. At the
 * ordering site's rates those two lines were 5-8% of the API's CPU (a profile of the stock-check
 * loop) and most of its log volume, telling nothing the metrics do not.
 */
export const requestLogOptions = { disableRequestLogging: true }

const VERBOSE = new Set(['debug', 'trace'])

/**
 * The one line per request that is worth keeping: a refused or failed request (4xx at info, 5xx
 * at warn; a 5xx's error is logged where it is answered) and a slow one (warn), each with its
 * `reqId`, method, URL, status and time. LOG_LEVEL=debug logs every request, as Fastify did at info.
 */
export default fp(
  async function requestLog(app) {
    const slowMs = app.config.REQUEST_SLOW_MS
    app.addHook('onResponse', (request, reply, done) => {
      const status = reply.statusCode
      const responseTime = reply.elapsedTime
      const slow = responseTime >= slowMs
      if (status >= 400 || slow) {
        const line = { req: request, res: reply, responseTime }
        if (status >= 500 || slow) request.log.warn(line, slow ? 'slow request' : 'request completed')
        else request.log.info(line, 'request completed')
      } else if (VERBOSE.has(request.log.level)) {
        request.log.debug({ req: request, res: reply, responseTime }, 'request completed')
      }
      done()
    })
  },
  { name: 'request-log', dependencies: ['config'] },
)
