import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { eq } from 'drizzle-orm'
import {
  ChangesCursorExpiredSchema,
  ProblemSchema,
  StockChangesPageSchema,
  StockChangesQuerySchema,
  StockChangesResumeQuerySchema,
  StockChangesResumeSchema,
} from '@wh/shared'
import { sites } from '../../db/schema/index.ts'
import { HubError } from '../../errors.ts'
import { createChangesFeed } from '../../live/changes-feed.ts'
import { createChangeLog } from '../../stock/change-log.ts'
import { siteOf } from '../api-guard.ts'
import type { FastifyRequest } from 'fastify'

/**
 * `GET /api/stock/changes`: the changes feed for those who poll. Pages through the change log
 * after a cursor, each changed SKU once with the site's figures now; a cursor the log no longer
 * reaches is told where to take a snapshot and the cursor to follow on from after it.
 */
const stockChanges: FastifyPluginAsyncTypebox = async (app) => {
  const { redis, liveCache, database } = app.services
  const changeLog = createChangeLog(database.pool)
  const feed = createChangesFeed({
    pool: database.pool,
    changeLog,
    cache: liveCache,
    redis,
    log: app.log.child({ module: 'changes-feed' }),
  })

  /** The site asked for, if the caller may read it and it exists. */
  async function knownSite(request: FastifyRequest, named: string | undefined): Promise<string> {
    const site = siteOf(request, named)
    const [known] = await database.db.select({ code: sites.code }).from(sites).where(eq(sites.code, site)).limit(1)
    if (!known) throw new HubError('NOT_FOUND', `no site ${site}`)
    return site
  }

  app.get(
    '/api/stock/changes/resume-point',
    {
      schema: {
        summary: 'Where a new follower of the changes feed starts: ask, take the snapshot, then read changes after `resumeAfter`',
        querystring: StockChangesResumeQuerySchema,
        response: { 200: StockChangesResumeSchema, 400: ProblemSchema, 404: ProblemSchema },
      },
    },
    async (request, reply) => {
      const site = await knownSite(request, request.query.site)
      reply.header('cache-control', 'no-store')
      return { site, resumeAfter: await feed.resumePoint(site) }
    },
  )

  app.get(
    '/api/stock/changes',
    {
      schema: {
        summary: "Which SKUs of a site changed after a cursor, with the site's on hand and available for each now",
        querystring: StockChangesQuerySchema,
        response: { 200: StockChangesPageSchema, 400: ProblemSchema, 404: ProblemSchema, 410: ChangesCursorExpiredSchema },
      },
    },
    async (request, reply) => {
      const { after, limit } = request.query
      const site = await knownSite(request, request.query.site)
      const page = await feed.page(site, after, limit)
      // After the read: a prune that ran meanwhile took rows this page may have lacked.
      const horizon = await feed.horizon()
      if (after < horizon) {
        const snapshot = `/api/inventory?site=${encodeURIComponent(site)}`
        const resumeAfter = await feed.resumePoint(site)
        throw new HubError(
          'CHANGES_CURSOR_EXPIRED',
          `changes up to ${horizon} were pruned; take the snapshot (${snapshot}, every page) now, then read changes after=${resumeAfter}`,
          [{ horizon, snapshot, resumeAfter }],
        )
      }
      if (page.next === after && after > Math.max(await feed.latest(), horizon)) {
        throw new HubError('CHANGES_CURSOR_AHEAD', `after=${after} is past the latest change`)
      }
      reply.header('cache-control', 'no-store')
      return { site, ...page }
    },
  )
}

export default stockChanges
