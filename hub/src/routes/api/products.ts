import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  ProblemSchema,
  ProductInfoSchema,
  ProductPageSchema,
  ProductParamsSchema,
  ProductQuerySchema,
  ProductSchema,
  ProductUpdateSchema,
} from '@wh/shared'
import { actorOf } from '../../auth/caller.ts'

const refusals = { 400: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema, 422: ProblemSchema }
const tags = ['catalog']

/**
 * The catalog's products, each with its GTINs (unit, inner pack, case: a scan moves the GTIN's
 * quantity) and reorder thresholds per site. Reads are a viewer's (a key limited to sites sees
 * only those sites' thresholds); changes are admin's, each audited under the key's name.
 */
const productRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { products } = app.catalogAdmin
  const sitesOf = (request: { caller: { sites: readonly string[] | null } | null }) => request.caller?.sites ?? null

  app.get(
    '/api/products',
    {
      config: { role: 'viewer' },
      schema: {
        tags,
        summary: 'Products in SKU order, deactivated ones too; q searches SKU and name, or finds a GTIN',
        querystring: ProductQuerySchema,
        response: { 200: ProductPageSchema },
      },
    },
    async (request) => products.list(request.query, sitesOf(request)),
  )

  app.get(
    '/api/products/:sku',
    {
      config: { role: 'viewer' },
      schema: { tags, summary: 'One product', params: ProductParamsSchema, response: { 200: ProductInfoSchema, 404: ProblemSchema } },
    },
    async (request) => products.get(request.params.sku, sitesOf(request)),
  )

  app.post(
    '/api/products',
    {
      schema: {
        tags,
        summary: 'Create a product with its GTINs (check digits verified; stored as GTIN-14) and per-site thresholds',
        body: ProductSchema,
        response: { 201: ProductInfoSchema, ...refusals },
      },
    },
    async (request, reply) => reply.code(201).send(await products.create(request.body, actorOf(request))),
  )

  app.patch(
    '/api/products/:sku',
    {
      schema: {
        tags,
        summary: 'Change a product: gtins replaces the set; siteThresholds merges, null clears a site',
        params: ProductParamsSchema,
        body: ProductUpdateSchema,
        response: { 200: ProductInfoSchema, ...refusals },
      },
    },
    async (request) => products.update(request.params.sku, request.body, actorOf(request)),
  )

  app.delete(
    '/api/products/:sku',
    {
      schema: {
        tags,
        summary: 'Delete a product nothing refers to (ledger, stock, lots, reservations, PO lines, held events)',
        params: ProductParamsSchema,
        response: { 200: ProductInfoSchema, ...refusals },
      },
    },
    async (request) => products.remove(request.params.sku, actorOf(request)),
  )
}

export default productRoutes
