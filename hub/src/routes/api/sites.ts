import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  LocationCreateSchema,
  LocationInfoSchema,
  LocationListSchema,
  LocationParamsSchema,
  LocationUpdateSchema,
  ProblemSchema,
  SiteInfoSchema,
  SiteListSchema,
  SiteParamsSchema,
  SiteSchema,
  SiteLocationsParamsSchema,
  SiteUpdateSchema,
} from '@wh/shared'
import { assertSite } from '../api-guard.ts'
import { actorOf } from '../../auth/caller.ts'

const refusals = { 400: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema, 422: ProblemSchema }
const tags = ['catalog']

/**
 * The catalog's sites and their locations. Reads are a viewer's (a key limited to sites sees
 * those only); changes are admin's, each audited under the key's name. Scans on this hub see a
 * change at once, on other hubs within the catalog lookup's 60 s.
 */
const siteRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { sites, locations } = app.catalogAdmin

  app.get(
    '/api/sites',
    { config: { role: 'viewer' }, schema: { tags, summary: 'Sites, deactivated ones too', response: { 200: SiteListSchema } } },
    async (request) => ({ sites: await sites.list(request.caller?.sites ?? undefined) }),
  )

  app.post(
    '/api/sites',
    { schema: { tags, summary: 'Create a site', body: SiteSchema, response: { 201: SiteInfoSchema, ...refusals } } },
    async (request, reply) => reply.code(201).send(await sites.create(request.body, actorOf(request))),
  )

  app.patch(
    '/api/sites/:code',
    {
      schema: {
        tags,
        summary: 'Rename, deactivate (its locations take no stock) or reactivate a site',
        params: SiteParamsSchema,
        body: SiteUpdateSchema,
        response: { 200: SiteInfoSchema, ...refusals },
      },
    },
    async (request) => sites.update(request.params.code, request.body, actorOf(request)),
  )

  app.delete(
    '/api/sites/:code',
    {
      schema: {
        tags,
        summary: 'Delete a site nothing is at (no locations, devices, orders, POs or thresholds); answers what it was',
        params: SiteParamsSchema,
        response: { 200: SiteInfoSchema, ...refusals },
      },
    },
    async (request) => sites.remove(request.params.code, actorOf(request)),
  )

  app.get(
    '/api/sites/:site/locations',
    {
      config: { role: 'viewer' },
      schema: {
        tags,
        summary: "A site's locations, deactivated ones too",
        params: SiteLocationsParamsSchema,
        response: { 200: LocationListSchema, 403: ProblemSchema, 404: ProblemSchema },
      },
    },
    async (request) => {
      assertSite(request, request.params.site)
      return { site: request.params.site, locations: await locations.list(request.params.site) }
    },
  )

  app.post(
    '/api/sites/:site/locations',
    {
      schema: {
        tags,
        summary: 'Create a location at an active site',
        params: SiteLocationsParamsSchema,
        body: LocationCreateSchema,
        response: { 201: LocationInfoSchema, ...refusals },
      },
    },
    async (request, reply) => reply.code(201).send(await locations.create(request.params.site, request.body, actorOf(request))),
  )

  app.patch(
    '/api/sites/:site/locations/:code',
    {
      schema: {
        tags,
        summary: 'Change a location: zone, pickable, reservable, deactivate or reactivate',
        params: LocationParamsSchema,
        body: LocationUpdateSchema,
        response: { 200: LocationInfoSchema, ...refusals },
      },
    },
    async (request) => locations.update(request.params.site, request.params.code, request.body, actorOf(request)),
  )

  app.delete(
    '/api/sites/:site/locations/:code',
    {
      schema: {
        tags,
        summary: 'Delete a location no stock, ledger row, lot, reservation or held event refers to',
        params: LocationParamsSchema,
        response: { 200: LocationInfoSchema, ...refusals },
      },
    },
    async (request) => locations.remove(request.params.site, request.params.code, actorOf(request)),
  )
}

export default siteRoutes
