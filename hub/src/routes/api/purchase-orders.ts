import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { actorOf } from '../../auth/caller.ts'
import Type from 'typebox'
import {
  ProblemSchema,
  CreatePurchaseOrderSchema,
  PoNumberSchema,
  PurchaseOrderActionSchema,
  PurchaseOrderPageSchema,
  PurchaseOrderQuerySchema,
  PurchaseOrderSchema,
  RenumberPurchaseOrderSchema,
  RenumberResultSchema,
  UpdatePurchaseOrderSchema,
} from '@wh/shared'
import { HubError } from '../../errors.ts'
import { emptyBodyAsObject } from '../../http/optional-body.ts'
import { assertSite } from '../api-guard.ts'

const PoParams = Type.Object({ poNumber: PoNumberSchema }, { additionalProperties: false })
const refusals = { 400: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema, 422: ProblemSchema }

/**
 * Admin: purchase orders. Every change is one transaction with its audit row; refusals are
 * HubErrors, answered as problem details by the app's error handler.
 */
const purchaseOrders: FastifyPluginAsyncTypebox = async (app) => {
  const pos = app.purchaseOrders

  // A caller limited to sites (a person may be) works only their sites' POs. A PO's site never
  // changes, so checking it before the request is as good as inside its transaction.
  app.addHook('preHandler', async (request) => {
    const { poNumber } = request.params as { poNumber?: string }
    if (poNumber === undefined || !request.caller?.sites) return
    const po = await pos.get(poNumber)
    if (po) assertSite(request, po.site)
  })

  app.post(
    '/api/purchase-orders',
    {
      schema: {
        summary: 'Create a purchase order with its lines',
        body: CreatePurchaseOrderSchema,
        response: { 201: PurchaseOrderSchema, ...refusals },
      },
    },
    async (request, reply) => {
      assertSite(request, request.body.site)
      return reply.code(201).send(await pos.create({ ...request.body, actor: actorOf(request) }))
    },
  )

  app.get(
    '/api/purchase-orders',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'Purchase orders in number order, by status and site',
        querystring: PurchaseOrderQuerySchema,
        response: { 200: PurchaseOrderPageSchema },
      },
    },
    async (request) => {
      if (request.query.site !== undefined) assertSite(request, request.query.site)
      return pos.list(request.query, request.caller?.sites ?? null)
    },
  )

  app.get(
    '/api/purchase-orders/:poNumber',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'A purchase order with its lines: ordered, received, remaining',
        params: PoParams,
        response: { 200: PurchaseOrderSchema, 404: ProblemSchema },
      },
    },
    async (request) => {
      const po = await pos.get(request.params.poNumber)
      if (!po) throw new HubError('PO_NOT_FOUND', request.params.poNumber)
      return po
    },
  )

  app.patch(
    '/api/purchase-orders/:poNumber',
    {
      schema: {
        summary: 'Amend an open purchase order: supplier, expected date, line quantities, lines added or removed',
        params: PoParams,
        body: UpdatePurchaseOrderSchema,
        response: { 200: PurchaseOrderSchema, ...refusals },
      },
    },
    async (request) => pos.update(request.params.poNumber, { ...request.body, actor: actorOf(request) }),
  )

  app.post(
    '/api/purchase-orders/:poNumber/renumber',
    {
      schema: {
        summary: 'Renumber a purchase order, its lots and its ledger rows in one transaction',
        params: PoParams,
        body: RenumberPurchaseOrderSchema,
        response: { 200: RenumberResultSchema, ...refusals },
      },
    },
    async (request) => {
      const { newPoNumber, reason } = request.body
      return pos.renumber(request.params.poNumber, newPoNumber, { reason, actor: actorOf(request) })
    },
  )

  for (const action of ['close', 'cancel'] as const) {
    app.post(
      `/api/purchase-orders/:poNumber/${action}`,
      {
        schema: {
          summary:
            action === 'close'
              ? 'Close an open purchase order; what was received stays linked to it'
              : 'Cancel an open purchase order nothing was received against',
          params: PoParams,
          body: PurchaseOrderActionSchema,
          response: { 200: PurchaseOrderSchema, ...refusals },
        },
        // Close, cancel and delete take an optional body: only why.
        preValidation: emptyBodyAsObject,
      },
      async (request) => pos[action](request.params.poNumber, { ...request.body, actor: actorOf(request) }),
    )
  }

  app.delete(
    '/api/purchase-orders/:poNumber',
    {
      schema: {
        summary: 'Delete a purchase order nothing was ever received against (otherwise close it)',
        params: PoParams,
        body: PurchaseOrderActionSchema,
        response: { 204: Type.Null(), ...refusals },
      },
      preValidation: emptyBodyAsObject,
    },
    async (request, reply) => {
      await pos.remove(request.params.poNumber, { ...request.body, actor: actorOf(request) })
      return reply.code(204).send(null)
    },
  )
}

export default purchaseOrders
