import { createHash } from 'node:crypto'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply } from 'fastify'
import Type from 'typebox'
import { ApiErrorSchema, IdempotencyKeySchema, OrderRequestSchema, OrderSchema, ShortageSchema, type OrderRequest } from '@wh/shared'
import { HubError } from '../../errors.ts'
import type { OrderLine } from '../../orders/allocate.ts'
import { assertSite } from '../api-guard.ts'

const OrderIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) })
const Conflict = Type.Union([ShortageSchema, ApiErrorSchema])

/** The same request, however its JSON was spelled: lines merged per SKU and sorted. */
function canonical(body: OrderRequest) {
  const qty = new Map<string, number>()
  for (const l of body.lines) qty.set(l.sku, (qty.get(l.sku) ?? 0) + l.qty)
  const lines = [...qty].sort(([a], [b]) => a.localeCompare(b)).map(([sku, q]) => ({ sku, qty: q }))
  return {
    site: body.site,
    lines,
    hash: createHash('sha256')
      .update(JSON.stringify({ site: body.site, lines }))
      .digest('hex'),
  }
}

const refuse = (reply: FastifyReply, status: number, code: string, error: string) => reply.code(status).send({ error, code })

/** The ordering site: reserve stock all-or-nothing, then confirm or cancel; expiry releases it. */
const orders: FastifyPluginAsyncTypebox = async (app) => {
  const { repository } = app.orders

  app.post(
    '/api/orders',
    {
      schema: {
        summary: 'Reserve every line of an order, or none',
        headers: Type.Object({ 'idempotency-key': IdempotencyKeySchema }),
        body: OrderRequestSchema,
        response: { 200: OrderSchema, 201: OrderSchema, 409: Conflict, 422: ApiErrorSchema },
      },
    },
    async (request, reply) => {
      const { site, lines, hash } = canonical(request.body)
      assertSite(request, site)
      const resolved: OrderLine[] = []
      for (const line of lines) {
        const product = await app.catalog.product({ sku: line.sku })
        if (!product) return refuse(reply, 422, 'UNKNOWN_SKU', `unknown sku ${line.sku}`)
        resolved.push({ sku: product.sku, productId: product.id, qty: line.qty })
      }
      const key = request.headers['idempotency-key']
      const outcome = await repository.reserve(key, hash, site, resolved, app.config.ORDER_TTL_SECONDS * 1000)
      switch (outcome.kind) {
        case 'key-conflict':
          return refuse(reply, 422, 'IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used with a different request')
        case 'in-flight':
          reply.header('retry-after', '1')
          return refuse(reply, 409, 'IDEMPOTENCY_IN_FLIGHT', 'a request with this Idempotency-Key is still in progress')
        case 'replayed':
          reply.header('idempotent-replayed', 'true')
          return reply.code(outcome.answer.status).send(outcome.answer.body)
        case 'answered':
          if (outcome.changed.length > 0) await app.orders.publish(outcome.changed)
          if (outcome.orderId && outcome.expiresAt) await app.orders.scheduleExpiry(outcome.orderId, outcome.expiresAt)
          return reply.code(outcome.answer.status).send(outcome.answer.body)
      }
    },
  )

  app.get(
    '/api/orders/:id',
    { schema: { summary: 'An order and where its stock is held', params: OrderIdParams, response: { 200: OrderSchema } } },
    async (request) => {
      const order = await repository.get(request.params.id)
      if (!order) throw new HubError('NOT_FOUND', `no order ${request.params.id}`)
      assertSite(request, order.site)
      return order
    },
  )

  for (const action of ['confirm', 'cancel'] as const) {
    app.post(
      `/api/orders/:id/${action}`,
      {
        schema: {
          summary:
            action === 'confirm' ? 'Confirm a pending order: its reservation no longer expires' : 'Cancel an order and release its stock',
          params: OrderIdParams,
          response: { 200: OrderSchema, 409: ApiErrorSchema },
        },
      },
      async (request, reply) => {
        const { id } = request.params
        // A key limited to sites may resolve only its sites' orders: one more read, for those keys only.
        if (request.apiKey?.sites) {
          const order = await repository.get(id)
          if (!order) throw new HubError('NOT_FOUND', `no order ${id}`)
          assertSite(request, order.site)
        }
        const result = await repository.resolve(id, action, request.apiKey?.name ?? 'ordering-site')
        if (!result.found) throw new HubError('NOT_FOUND', `no order ${id}`)
        if (result.changed.length > 0) await app.orders.publish(result.changed)
        const done =
          action === 'confirm'
            ? result.before === 'pending' && result.after === 'confirmed'
            : result.after === 'cancelled' && result.before !== 'cancelled'
        if (!done)
          return refuse(reply, 409, `ORDER_${result.after.toUpperCase()}`, `order ${id} is ${result.after}; it cannot be ${action}ed`)
        return (await repository.get(id))!
      },
    )
  }
}

export default orders
