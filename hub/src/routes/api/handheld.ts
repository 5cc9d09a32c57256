import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { asc, eq } from 'drizzle-orm'
import {
  HandheldLocationsSchema,
  HandheldLookupQuerySchema,
  HandheldLookupSchema,
  HandheldMeSchema,
  HandheldOrderParamsSchema,
  HandheldOrdersSchema,
  HandheldPickPlanSchema,
  HandheldQuerySchema,
  HandheldReceivingSchema,
  ProblemSchema,
} from '@wh/shared'
import { locations, sites } from '../../db/schema/index.ts'
import { HubError } from '../../errors.ts'
import { lookupBarcode } from '../../handheld/barcode-lookup.ts'
import { openOrders, pickPlan } from '../../handheld/pick-lists.ts'
import { openPurchaseOrders } from '../../handheld/receiving-list.ts'
import { assertSite, siteOf } from '../api-guard.ts'

/** Every route here: a viewer's read that a handheld signing its requests may make too. */
const config = { role: 'viewer', devices: true } as const
const tags = ['handheld']
const security: Record<string, string[]>[] = [{ device: [] }, { apiKey: [] }]
const refusals = { 401: ProblemSchema, 403: ProblemSchema }

/**
 * The handheld's work lists: who it is, its site's locations, open POs to receive, orders to pick
 * and where, and what a scanned barcode is. A device reads its own site (its only one); a key or
 * person not limited to one site names it with `?site=`. Nothing here changes anything.
 */
const handheld: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.services.database

  app.get(
    '/api/handheld/me',
    {
      config,
      schema: { summary: 'The calling device: its id and site', tags, security, response: { 200: HandheldMeSchema, ...refusals } },
    },
    async (request) => {
      const caller = request.caller!
      if (caller.kind !== 'device') throw new HubError('FORBIDDEN_ROLE', 'only a device signing its requests has a handheld identity')
      const site = caller.sites![0]!
      const [row] = await db.select({ name: sites.name }).from(sites).where(eq(sites.code, site)).limit(1)
      // The guard let the device through, so it is enabled.
      return { deviceId: caller.id, site, name: row?.name ?? site, enabled: true }
    },
  )

  app.get(
    '/api/handheld/locations',
    {
      config,
      schema: {
        summary: "The site's locations, inactive ones too: a scan equal to one sets the location",
        tags,
        security,
        querystring: HandheldQuerySchema,
        response: { 200: HandheldLocationsSchema, ...refusals },
      },
    },
    async (request) => ({
      locations: await db
        .select({ code: locations.code, zone: locations.zone, pickable: locations.pickable, active: locations.active })
        .from(locations)
        .where(eq(locations.site, siteOf(request, request.query.site)))
        .orderBy(asc(locations.code)),
    }),
  )

  app.get(
    '/api/handheld/receiving',
    {
      config,
      schema: {
        summary: "The site's open purchase orders, each line with what remains to receive",
        tags,
        security,
        querystring: HandheldQuerySchema,
        response: { 200: HandheldReceivingSchema, ...refusals },
      },
    },
    async (request) => openPurchaseOrders(db, siteOf(request, request.query.site)),
  )

  app.get(
    '/api/handheld/orders',
    {
      config,
      schema: {
        summary: "The site's orders still holding stock to pick, oldest first",
        tags,
        security,
        querystring: HandheldQuerySchema,
        response: { 200: HandheldOrdersSchema, ...refusals },
      },
    },
    async (request) => openOrders(db, siteOf(request, request.query.site)),
  )

  app.get(
    '/api/handheld/orders/:orderId',
    {
      config,
      schema: {
        summary: 'Where to pick an order: per line, the locations holding its stock, and which lot first (first expiry first)',
        tags,
        security,
        params: HandheldOrderParamsSchema,
        querystring: HandheldQuerySchema,
        response: { 200: HandheldPickPlanSchema, 404: ProblemSchema, ...refusals },
      },
    },
    async (request) => {
      const site = siteOf(request, request.query.site)
      const order = await app.orders.repository.get(request.params.orderId)
      if (!order) throw new HubError('NOT_FOUND', `no order ${request.params.orderId}`)
      assertSite(request, order.site)
      if (order.site !== site) throw new HubError('NOT_FOUND', `no order ${request.params.orderId} at ${site}`)
      return pickPlan(db, order)
    },
  )

  app.get(
    '/api/handheld/lookup',
    {
      config,
      schema: {
        summary: "What a scanned barcode is: the product, the label's lot and expiry, and its stock at the site by location",
        tags,
        security,
        querystring: HandheldLookupQuerySchema,
        response: { 200: HandheldLookupSchema, 422: ProblemSchema, ...refusals },
      },
    },
    async (request) =>
      lookupBarcode(
        { db, catalog: app.catalog, stock: app.services.liveCache },
        siteOf(request, request.query.site),
        request.query.barcode,
      ),
  )
}

export default handheld
