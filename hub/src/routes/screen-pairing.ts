import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ClaimPairingSchema, PairingClaimAnswerSchema, ProblemSchema, ScreenPairingSchema } from '@wh/shared'
import { registerRateLimit } from '../plugins/external/rate-limit.ts'

const MINUTE = 60_000

/**
 * What a floor screen without a key calls, open to anyone: ask for a pairing code, then ask with
 * it (and the claim secret) until an admin has paired it. Limited per address: a code a minute
 * every two seconds is far above what a wall of screens behind one router asks, and far below
 * what could fill the table. Neither answer holds anything an admin did not hand out.
 */
const screenPairing: FastifyPluginAsyncTypebox = async (app) => {
  await registerRateLimit(app)
  const noKey = { tags: ['screens'], security: [] }

  app.post(
    '/api/screen-pairings',
    {
      config: { rateLimit: { max: 30, timeWindow: MINUTE } },
      schema: {
        ...noKey,
        summary: 'A floor screen asks for a pairing code to show; an admin pairs it in the console',
        response: { 201: ScreenPairingSchema, 429: ProblemSchema },
      },
    },
    async (_request, reply) => {
      reply.code(201).header('cache-control', 'no-store')
      return app.pairings.request()
    },
  )

  app.post(
    '/api/screen-pairings/claim',
    {
      config: { rateLimit: { max: 300, timeWindow: MINUTE } },
      schema: {
        ...noKey,
        summary: "The screen asks whether it was paired; once it is, the answer holds the screen's key, this once",
        body: ClaimPairingSchema,
        response: { 200: PairingClaimAnswerSchema, 404: ProblemSchema, 429: ProblemSchema },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store')
      return app.pairings.claim(request.body.code, request.body.claim)
    },
  )
}

export default screenPairing
