import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { PairScreenSchema, ProblemSchema, ScreenListSchema, ScreenParamsSchema, ScreenQuerySchema, ScreenSchema } from '@wh/shared'
import { actorOf } from '../../auth/caller.ts'
import { assertSite, readableSites } from '../api-guard.ts'

/**
 * Admin: floor screens paired from the console. Pairing issues the screen a viewer key limited to
 * one site; revoking it closes the screen's socket at its next key check and the screen shows a
 * pairing code again.
 */
const screenRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { pairings } = app
  const tags = ['screens']

  app.get(
    '/api/screens',
    {
      schema: {
        summary: 'Paired floor screens, revoked ones too',
        tags,
        querystring: ScreenQuerySchema,
        response: { 200: ScreenListSchema },
      },
    },
    async (request) => {
      const allowed = readableSites(request, request.query.site)
      return { screens: (await pairings.list(request.query.site)).filter((s) => !allowed || allowed.includes(s.site)) }
    },
  )

  app.post(
    '/api/screens',
    {
      schema: {
        summary: 'Pair the floor screen showing this code: it gets a viewer key for the site within seconds',
        tags,
        body: PairScreenSchema,
        response: { 201: ScreenSchema, 403: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema, 422: ProblemSchema },
      },
    },
    async (request, reply) => {
      assertSite(request, request.body.site)
      return reply.code(201).send(await pairings.pair(request.body, actorOf(request)))
    },
  )

  app.delete(
    '/api/screens/:id',
    {
      schema: {
        summary: 'Revoke a paired screen: it goes dark and shows a pairing code again',
        tags,
        params: ScreenParamsSchema,
        response: { 200: ScreenSchema, 403: ProblemSchema, 404: ProblemSchema },
      },
    },
    async (request) => {
      assertSite(request, (await pairings.get(request.params.id)).site)
      const screen = await pairings.revoke(request.params.id, actorOf(request))
      app.apiKeys.verifier.forget(screen.prefix)
      return screen
    },
  )
}

export default screenRoutes
