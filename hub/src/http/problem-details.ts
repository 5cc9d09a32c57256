import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { ErrorCodes, PROBLEM_CONTENT_TYPE, problemType, type ErrorCode, type Problem } from '@wh/shared'
import { isTransientDbError } from '../db/transient-errors.ts'
import { HubError } from '../errors.ts'
import { fieldProblems } from './field-problems.ts'

type AnyError = Partial<FastifyError> & Error & { details?: readonly object[] }

/** Fastify's own refusals of a request's body, by their code. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
  FST_ERR_BAD_URL: 'BAD_REQUEST',
  FST_ERR_MAX_PARAM_LENGTH: 'URI_TOO_LONG',
  FST_CSRF_INVALID_TOKEN: 'CSRF_INVALID',
  FST_CSRF_MISSING_SECRET: 'CSRF_INVALID',
}

/** Any other client error a library raises, by its status (one the table has, else a plain 400). */
const BY_STATUS: Record<number, ErrorCode> = {
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
}

/** The code, this occurrence's detail and details of an error; a 5xx's own text never leaves. */
function classify(err: AnyError): { code: ErrorCode; detail?: string; details?: readonly object[] } {
  if (err instanceof HubError) return { code: err.code, detail: err.detail, details: err.details }
  // A database away (refused, lost, timed out) is a 503 to retry; its own error code stays in the log.
  if (isTransientDbError(err) || err.code === 'DB_UNAVAILABLE') return { code: 'DB_UNAVAILABLE' }
  if (err.validation) {
    const details = fieldProblems(err.validationContext ?? 'body', err.validation)
    return { code: 'VALIDATION_FAILED', detail: details.map((d) => `${d.field} ${d.reason}`).join('; '), details }
  }
  const status = err.statusCode ?? 500
  if (status >= 500 || status < 400) return { code: 'INTERNAL_ERROR' }
  // secure-json-parse's refusals (bad JSON, a __proto__ key) are SyntaxErrors fastify marks 400.
  const code = FASTIFY_CODES[err.code ?? ''] ?? (err instanceof SyntaxError ? 'MALFORMED_JSON' : (BY_STATUS[status] ?? 'BAD_REQUEST'))
  return { code, detail: err.message }
}

/** An error as RFC 9457 problem details: the table's status and title, for the path it was asked at. */
export function toProblem(err: AnyError, request: FastifyRequest): Problem {
  const { code, detail, details } = classify(err)
  const { status, title } = ErrorCodes[code]
  return {
    type: problemType(code),
    title,
    status,
    ...(detail && status < 500 ? { detail } : {}),
    instance: request.url.split('?', 1)[0],
    code,
    ...(details && status < 500 ? { details: [...details] } : {}),
  }
}

/**
 * Answers a refusal as problem details: the one serializer every refusal goes through (error
 * handler, not-found handler, the key guard). Sent as a string so no route's response schema
 * can strip a member.
 */
export function sendProblem(reply: FastifyReply, err: AnyError) {
  const problem = toProblem(err, reply.request)
  if (problem.status >= 500) reply.log.error({ err }, 'request failed')
  if (problem.status === 503) reply.header('retry-after', '5')
  return reply.code(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem))
}

/**
 * Server options for the refusals fastify makes itself: before any route (a malformed URL, an
 * over-long path part) through `frameworkErrors`, and none while closing (return503OnClosing's
 * fixed body is not a problem; problemHandlers answers those requests instead).
 */
export const problemServerOptions = {
  frameworkErrors: (err: FastifyError, _request: FastifyRequest, reply: FastifyReply) => sendProblem(reply, err),
  return503OnClosing: false,
}

/**
 * The app's handlers: every thrown error and every unknown route is answered by sendProblem, and
 * so is a request that arrives while the app closes (in place of fastify's return503OnClosing,
 * whose fixed body is not a problem).
 */
export function problemHandlers(app: FastifyInstance) {
  app.setErrorHandler((err: AnyError, _request, reply) => sendProblem(reply, err))
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, new HubError('ROUTE_NOT_FOUND', `${request.method} ${request.url.split('?', 1)[0]}`)),
  )
  let closing = false
  app.addHook('preClose', async () => {
    closing = true
  })
  app.addHook('onRequest', async (_request, reply) => {
    if (!closing) return
    reply.header('connection', 'close')
    return sendProblem(reply, new HubError('SHUTTING_DOWN'))
  })
}
