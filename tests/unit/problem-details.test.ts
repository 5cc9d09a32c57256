import Fastify from 'fastify'
import Type from 'typebox'
import { describe, expect, it } from 'vitest'
import { ErrorCodes, PROBLEM_CONTENT_TYPE, ReasonCodes } from '@wh/shared'
import { HubError } from '../../hub/src/errors.ts'
import { DatabaseTimeoutError } from '../../hub/src/db/transaction.ts'
import { problemHandlers, problemServerOptions } from '../../hub/src/http/problem-details.ts'
import { strictValidatorCompiler } from '../../hub/src/http/strict-validation.ts'

/** A bare Fastify with the hub's serializer and validator, and routes that fail each way. */
async function app() {
  const app = Fastify({ logger: false, ...problemServerOptions, maxParamLength: 20 })
  app.setValidatorCompiler(strictValidatorCompiler)
  problemHandlers(app)
  const failing: Record<string, () => Error> = {
    hub: () => new HubError('PO_NOT_FOUND', 'PO-9', [{ poNumber: 'PO-9' }]),
    refused: () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3306'), { code: 'ECONNREFUSED', errno: -111 }),
    timeout: () => new DatabaseTimeoutError(5000),
    duplicate: () => Object.assign(new Error("Duplicate entry 'x' for key 'PRIMARY'"), { code: 'ER_DUP_ENTRY', errno: 1062 }),
    bug: () => new TypeError("Cannot read properties of undefined (reading 'id')"),
  }
  app.get('/fail/:how', async (request) => {
    throw failing[(request.params as { how: string }).how]!()
  })
  app.post(
    '/items/:id',
    {
      schema: {
        params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
        querystring: Type.Object({ dry: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        body: Type.Object(
          { qty: Type.Integer({ maximum: 10 }), sku: Type.String({ pattern: '^[A-Z]+$' }) },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => ({ params: request.params, query: request.query, body: request.body }),
  )
  await app.ready()
  return app
}

describe('problem details', () => {
  it('renders a HubError from the shared table, with its detail, details and the path', async () => {
    const res = await (await app()).inject('/fail/hub?x=1')
    expect(res.statusCode).toBe(404)
    expect(res.headers['content-type']).toContain(PROBLEM_CONTENT_TYPE)
    expect(res.json()).toEqual({
      type: 'tag:warehouse-hub,2026:problem:PO_NOT_FOUND',
      title: ErrorCodes.PO_NOT_FOUND.title,
      status: 404,
      detail: 'PO-9',
      instance: '/fail/hub',
      code: 'PO_NOT_FOUND',
      details: [{ poNumber: 'PO-9' }],
    })
  })

  it.each(['refused', 'timeout'])('answers a database that is away (%s) 503 DB_UNAVAILABLE with Retry-After', async (how) => {
    const res = await (await app()).inject(`/fail/${how}`)
    expect(res.statusCode).toBe(503)
    expect(res.headers['retry-after']).toBe('5')
    expect(res.json()).toEqual(expect.objectContaining({ code: 'DB_UNAVAILABLE', title: ErrorCodes.DB_UNAVAILABLE.title }))
    expect(res.body).not.toMatch(/ECONNREFUSED|3306|5000/)
  })

  it.each(['duplicate', 'bug'])('hides a 5xx (%s): no text, no database code', async (how) => {
    const res = await (await app()).inject(`/fail/${how}`)
    expect(res.statusCode).toBe(500)
    expect(res.json()).toEqual({
      type: expect.any(String),
      title: 'Internal Server Error',
      status: 500,
      instance: `/fail/${how}`,
      code: 'INTERNAL_ERROR',
    })
  })

  it('answers an unknown route, a malformed URL and an over-long path part as problems', async () => {
    const a = await app()
    const unknown = await a.inject({ method: 'DELETE', url: '/nowhere?x=1' })
    expect(unknown.statusCode).toBe(404)
    expect(unknown.json()).toMatchObject({ code: 'ROUTE_NOT_FOUND', detail: 'DELETE /nowhere', instance: '/nowhere' })
    const malformed = await a.inject('/fail/%zz')
    expect({ status: malformed.statusCode, type: malformed.headers['content-type'] }).toMatchObject({
      status: 400,
      type: expect.stringContaining(PROBLEM_CONTENT_TYPE),
    })
    expect(malformed.json()).toMatchObject({ code: 'BAD_REQUEST', instance: '/fail/%zz' })
    const long = await a.inject(`/fail/${'x'.repeat(21)}`)
    expect(long.json()).toMatchObject({ status: 414, code: 'URI_TOO_LONG' })
  })

  it('answers a request that arrives while the app closes 503 SHUTTING_DOWN', async () => {
    const a = await app()
    let release!: () => void
    a.addHook('preClose', () => new Promise<void>((resolve) => (release = resolve)))
    const closed = a.close()
    const res = await a.inject('/fail/hub')
    release()
    await closed
    expect({ status: res.statusCode, retry: res.headers['retry-after'] }).toEqual({ status: 503, retry: '5' })
    expect(res.json()).toMatchObject({ code: 'SHUTTING_DOWN' })
  })

  it('names each bad field once, across path, query and body', async () => {
    const res = await (await app()).inject({ method: 'POST', url: '/items/ 7?dry=yes&extra=1', payload: { qty: '2', sku: 'ab ', more: 1 } })
    expect(res.statusCode).toBe(400)
    // Fastify stops at the first part that fails: the path.
    expect(res.json().details).toEqual([{ field: '/params/id', reason: 'must be integer' }])
    const query = await (await app()).inject({ method: 'POST', url: '/items/7?dry=yes&extra=1', payload: { qty: 2, sku: 'AB' } })
    expect(query.json().details).toEqual([
      { field: '/query/extra', reason: 'is not a member of this request' },
      { field: '/query/dry', reason: 'must be boolean' },
    ])
    // Raw JSON: 1e400 reaches the parser, which reads it as Infinity.
    const body = await (
      await app()
    ).inject({
      method: 'POST',
      url: '/items/7',
      headers: { 'content-type': 'application/json' },
      payload: '{"qty": 1e400, "sku": "ab ", "more": 1}',
    })
    expect(body.json()).toMatchObject({ code: 'VALIDATION_FAILED', status: 400 })
    expect(
      body
        .json()
        .details.map((d: { field: string }) => d.field)
        .sort(),
    ).toEqual(['/body/more', '/body/qty', '/body/sku'])
  })

  it('takes only the canonical spelling of a number or a boolean in a path or query', async () => {
    const a = await app()
    const ok = await a.inject({ method: 'POST', url: '/items/12?dry=true', payload: { qty: 1, sku: 'A' } })
    expect(ok.json()).toEqual({ params: { id: 12 }, query: { dry: true }, body: { qty: 1, sku: 'A' } })
    for (const id of ['012', '12%20', '1e1', '0x0c', 'Infinity', 'NaN', '12.0', '9007199254740993', '-0'])
      expect((await a.inject({ method: 'POST', url: `/items/${id}`, payload: { qty: 1, sku: 'A' } })).statusCode, id).toBe(400)
  })

  it('keeps the reason codes devices hear as a part of the one table', () => {
    for (const [code, text] of Object.entries(ReasonCodes)) expect(ErrorCodes[code as keyof typeof ErrorCodes].title).toBe(text)
    expect(ReasonCodes.MALFORMED_JSON).toBe('The message is not valid JSON')
  })
})
