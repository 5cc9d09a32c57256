import { createHash } from 'node:crypto'
import { actorOf } from '../../auth/caller.ts'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply } from 'fastify'
import Type from 'typebox'
import { IdempotencyKeySchema, OrderRequestSchema, OrderSchema, ProblemSchema, ShortageSchema, type OrderRequest } from '@wh/shared'
import { HubError } from '../../errors.ts'
import { sendProblem } from '../../http/problem-details.ts'
import type { OrderLine } from '../../orders/allocate.ts'
import type { StoredAnswer } from '../../orders/order-repository.ts'
import { assertSite } from '../api-guard.ts'
import { clientIdOf, orderLifecycleRoutes, OrderIdParams } from './order-lifecycle.ts'

const Conflict = Type.Union([ShortageSchema, ProblemSchema])

/** The same request, however its JSON was spelled: lines merged per SKU and sorted. */
function canonical(body: OrderRequest) {
  const qty = new Map<string, number>()
  for (const l of body.lines) qty.set(l.sku, (qty.get(l.sku) ?? 0) + l.qty)
  const lines = [...qty].sort(([a], [b]) => a.localeCompare(b)).map(([sku, q]) => ({ sku, qty: q }))
  // Without a reference the hash is what it always was, so stored keys keep matching their retries.
  const request = { site: body.site, lines, ...(body.externalRef === undefined ? {} : { externalRef: body.externalRef }) }
  return { site: body.site, lines, hash: createHash('sha256').update(JSON.stringify(request)).digest('hex') }
}

/** A stored answer, first or replayed: the order, or the shortage as a problem (the same on every replay). */
const answer = (reply: FastifyReply, stored: StoredAnswer) =>
  stored.status === 409
    ? sendProblem(reply, new HubError('INSUFFICIENT_STOCK', 'not enough stock for every line', stored.body.details))
    : reply.code(stored.status).send(stored.body)

/** The ordering site: reserve stock all-or-nothing, then confirm or cancel; expiry releases it. */
const orders: FastifyPluginAsyncTypebox = async (app) => {
  const { repository } = app.orders

  app.post(
    '/api/orders',
    {
      schema: {
        summary: 'Reserve every line of an order, or none',
        description:
          'A retry with the same Idempotency-Key gets the first answer (`Idempotent-Replayed: true`). A create with an ' +
          '`externalRef` the same client used before answers 200 with that order (`Existing-Order: true`) when the site ' +
          'and lines are the same, and ORDER_REFERENCE_REUSED otherwise.',
        headers: Type.Object({ 'idempotency-key': IdempotencyKeySchema }),
        body: OrderRequestSchema,
        response: { 200: OrderSchema, 201: OrderSchema, 409: Conflict, 422: ProblemSchema },
      },
    },
    async (request, reply) => {
      const { site, lines, hash } = canonical(request.body)
      assertSite(request, site)
      const resolved: OrderLine[] = []
      for (const line of lines) {
        const product = await app.catalog.product({ sku: line.sku })
        if (!product) throw new HubError('UNKNOWN_SKU', line.sku)
        if (!product.active) throw new HubError('PRODUCT_INACTIVE', line.sku)
        resolved.push({ sku: product.sku, productId: product.id, qty: line.qty })
      }
      const key = request.headers['idempotency-key']
      const client = { clientId: clientIdOf(request.caller), externalRef: request.body.externalRef }
      const outcome = await repository.reserve(key, hash, site, resolved, app.config.ORDER_TTL_SECONDS * 1000, client)
      switch (outcome.kind) {
        case 'key-conflict':
          throw new HubError('IDEMPOTENCY_KEY_REUSED')
        case 'reference-conflict':
          throw new HubError('ORDER_REFERENCE_REUSED', `order ${outcome.orderId} has the reference ${client.externalRef}`)
        case 'in-flight':
          reply.header('retry-after', '1')
          return sendProblem(reply, new HubError('IDEMPOTENCY_IN_FLIGHT'))
        case 'replayed':
          reply.header('idempotent-replayed', 'true')
          return answer(reply, outcome.answer)
        case 'existing':
          reply.header('existing-order', 'true').header('idempotent-replayed', 'true')
          return reply.code(200).send(outcome.order)
        case 'answered':
          if (outcome.orderId) app.orders.eventsCommitted()
          if (outcome.changed.length > 0) await app.services.stock.levels(outcome.changed)
          if (outcome.orderId && outcome.expiresAt) await app.orders.scheduleExpiry(outcome.orderId, outcome.expiresAt)
          return answer(reply, outcome.answer)
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
          description: `Repeated, answers 200 with the order as it is (\`Idempotent-Replayed: true\`); an order that cannot be ${action}ed is a 409 naming its status.`,
          params: OrderIdParams,
          response: { 200: OrderSchema, 409: ProblemSchema },
        },
      },
      async (request, reply) => {
        const { id } = request.params
        // A key limited to sites may resolve only its sites' orders: one more read, for those keys only.
        if (request.caller?.sites) {
          const order = await repository.get(id)
          if (!order) throw new HubError('NOT_FOUND', `no order ${id}`)
          assertSite(request, order.site)
        }
        const result = await repository.resolve(id, action, actorOf(request))
        if (!result.found) throw new HubError('NOT_FOUND', `no order ${id}`)
        if (result.before !== result.after) app.orders.eventsCommitted()
        if (result.changed.length > 0) await app.services.stock.levels(result.changed)
        const wanted = action === 'confirm' ? 'confirmed' : 'cancelled'
        if (result.after !== wanted)
          throw new HubError(
            `ORDER_${result.after.toUpperCase() as Uppercase<typeof result.after>}`,
            `order ${id} is ${result.after}; it cannot be ${action}ed`,
          )
        if (result.before === result.after) reply.header('idempotent-replayed', 'true')
        return (await repository.get(id))!
      },
    )
  }

  await orderLifecycleRoutes(app)
}

export default orders
