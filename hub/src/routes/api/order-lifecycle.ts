import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import Type from 'typebox'
import {
  CancelLinesRequestSchema,
  FulfilmentRequestSchema,
  OrderIdSchema,
  OrderListQuerySchema,
  OrderPageSchema,
  OrderSchema,
  ProblemSchema,
} from '@wh/shared'
import { actorOf, type Caller } from '../../auth/caller.ts'
import { HubError } from '../../errors.ts'
import type { CancelLine, Refusal } from '../../orders/order-changes.ts'
import { assertSite } from '../api-guard.ts'

type App = Parameters<FastifyPluginAsyncTypebox>[0]

export const OrderIdParams = Type.Object({ id: OrderIdSchema }, { additionalProperties: false })

/** Whose reference an external reference is: the API key (`key:<id>`), else the person or device. */
export const clientIdOf = (caller: Caller | null) => (caller ? `${caller.kind}:${caller.id}` : 'anonymous')

/** A refused change as its problem: the status it is in, or what stops it. */
function refusal(id: string, r: Refusal): HubError {
  switch (r.refused) {
    case 'status':
      return new HubError(`ORDER_${r.status.toUpperCase() as Uppercase<typeof r.status>}`, `order ${id} is ${r.status}`)
    case 'not-confirmed':
      return new HubError('ORDER_NOT_CONFIRMED', `order ${id} is ${r.status}`)
    case 'backward':
      return new HubError('FULFILMENT_BACKWARD', `order ${id} is already ${r.fulfilment}`)
    case 'not-reserved':
      return new HubError('LINES_NOT_RESERVED', `order ${id} holds less than that`, r.details)
  }
}

/** Finding orders, their fulfilment, and cancelling part of one (the shop's side after placing it). */
export async function orderLifecycleRoutes(app: App) {
  const { repository } = app.orders

  /** A key limited to sites may change only its sites' orders: one more read, for those keys only. */
  async function assertOrderSite(request: FastifyRequest, id: string) {
    if (!request.caller?.sites) return
    const order = await repository.get(id)
    if (!order) throw new HubError('NOT_FOUND', `no order ${id}`)
    assertSite(request, order.site)
  }

  app.get(
    '/api/orders',
    {
      schema: {
        summary: 'List and search orders, newest first',
        description:
          'Filter by site, status, fulfilment, creation time (`from` inclusive, `to` exclusive) and external reference; page with `after`.',
        querystring: OrderListQuerySchema,
        response: { 200: OrderPageSchema },
      },
    },
    async (request) => {
      const { query } = request
      if (query.site !== undefined) assertSite(request, query.site)
      const page = await repository.list(query, {
        sites: request.caller?.sites ?? null,
        ...(query.mine ? { clientId: clientIdOf(request.caller) } : {}),
      })
      if (!page)
        throw new HubError('VALIDATION_FAILED', '`after` is not a cursor this API gave', [
          { field: '/query/after', reason: 'is not a cursor this API gave' },
        ])
      return page
    },
  )

  app.post(
    '/api/orders/:id/fulfilment',
    {
      schema: {
        summary: 'Mark a confirmed order packed or shipped',
        description:
          'Only forward (picked, packed, shipped); the same status again answers 200 with the order (`Idempotent-Replayed: true`).',
        params: OrderIdParams,
        body: FulfilmentRequestSchema,
        response: { 200: OrderSchema, 409: ProblemSchema },
      },
    },
    async (request, reply) => {
      const { id } = request.params
      await assertOrderSite(request, id)
      const result = await repository.fulfil(id, request.body.status, actorOf(request))
      if (!result) throw new HubError('NOT_FOUND', `no order ${id}`)
      if ('refused' in result) throw refusal(id, result)
      if (result.changed) app.orders.eventsCommitted()
      else reply.header('idempotent-replayed', 'true')
      return result.order
    },
  )

  app.post(
    '/api/orders/:id/cancel-lines',
    {
      schema: {
        summary: 'Cancel units of some lines and release their reserved stock',
        description:
          'Only stock still reserved (not yet picked) can be cancelled; cancelling every unit left cancels the order. Not idempotent.',
        params: OrderIdParams,
        body: CancelLinesRequestSchema,
        response: { 200: OrderSchema, 409: ProblemSchema },
      },
    },
    async (request) => {
      const { id } = request.params
      await assertOrderSite(request, id)
      const lines: CancelLine[] = []
      for (const line of request.body.lines) {
        const product = await app.catalog.product({ sku: line.sku })
        if (!product) throw new HubError('UNKNOWN_SKU', line.sku)
        lines.push({ sku: product.sku, productId: product.id, qty: line.qty })
      }
      const result = await repository.cancelLines(id, lines, actorOf(request))
      if (!result) throw new HubError('NOT_FOUND', `no order ${id}`)
      if ('refused' in result) throw refusal(id, result)
      app.orders.eventsCommitted()
      if (result.changed.length > 0) await app.services.stock.levels(result.changed)
      return result.order
    },
  )
}
