import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { eq } from 'drizzle-orm'
import { ProblemSchema, SyncRunListQuerySchema, SyncRunPageSchema, SyncRunSchema, WebhookSyncRequestSchema } from '@wh/shared'
import { actorOf } from '../../auth/caller.ts'
import { sites } from '../../db/schema/index.ts'
import { HubError } from '../../errors.ts'
import { assertSite, readableSites } from '../api-guard.ts'

/** Full syncs of a site's stock to its webhooks: run one now, and read their log. */
const webhookSyncRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.services.database

  app.post(
    '/api/webhooks/sync',
    {
      schema: {
        summary: 'Push every active SKU of a site to its stock webhooks now (a forced full sync, never skipped)',
        body: WebhookSyncRequestSchema,
        response: { 200: SyncRunSchema, 403: ProblemSchema, 404: ProblemSchema },
      },
    },
    async (request) => {
      const { site } = request.body
      assertSite(request, site)
      const [known] = await db.select({ code: sites.code }).from(sites).where(eq(sites.code, site)).limit(1)
      if (!known) throw new HubError('SITE_NOT_FOUND', site)
      return app.webhookSync.run(site, 'forced', actorOf(request), true)
    },
  )

  app.get(
    '/api/webhooks/sync-runs',
    {
      schema: {
        summary: 'Full syncs, newest first: why each ran, what it sent, or that it was skipped',
        querystring: SyncRunListQuerySchema,
        response: { 200: SyncRunPageSchema, 403: ProblemSchema },
      },
    },
    async (request) => {
      const { site, before, limit } = request.query
      const items = await app.webhookSync.list({ site, sites: readableSites(request, site) ?? null, before, limit: limit + 1 })
      const page = items.slice(0, limit)
      return { items: page, next: items.length > limit ? page.at(-1)!.id : null }
    },
  )
}

export default webhookSyncRoutes
