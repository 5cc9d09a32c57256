import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { actorOf } from '../../auth/caller.ts'
import { HubError } from '../../errors.ts'
import { toProblem } from '../../http/problem-details.ts'
import type { Decision } from '../../held/held-repository.ts'
import { assertSite, readableSites } from '../api-guard.ts'
import {
  ProblemSchema,
  ApproveHeldSchema,
  HeldDecisionSchema,
  HeldDecisionsSchema,
  HeldDecisionResultsSchema,
  HeldEventPageSchema,
  HeldEventQuerySchema,
  HeldEventSchema,
  HeldParamsSchema,
  RejectHeldSchema,
  type HeldDecision,
  type HeldDecisionItem,
  type HeldDecisionResults,
} from '@wh/shared'

const decided = ({ held, onHand, available }: Decision): HeldDecision => ({ held, onHand, available })

/** Supervisors: the held events, and approving (applying) or rejecting them, one or several at once. */
const heldEvents: FastifyPluginAsyncTypebox = async (app) => {
  /** One decision under the caller's name, on a held event of a site the caller may act for. */
  async function decide(request: FastifyRequest, item: HeldDecisionItem): Promise<HeldDecision> {
    assertSite(request, (await app.held.repository.get(item.id)).site)
    const actor = actorOf(request)
    const { id, action, ...input } = item
    if (action === 'approve') return decided(await app.held.approve(id, { ...input, actor }))
    return decided(await app.held.reject(id, { reason: input.reason, actor }))
  }

  app.get(
    '/api/held-events',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'Held events with the stock now at their locations, newest first unless `order=oldest`',
        querystring: HeldEventQuerySchema,
        response: { 200: HeldEventPageSchema, 403: ProblemSchema },
      },
    },
    async (request) => app.held.repository.list(request.query, readableSites(request, request.query.site)),
  )

  app.get(
    '/api/held-events/:id',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'One held event',
        params: HeldParamsSchema,
        response: { 200: HeldEventSchema, 403: ProblemSchema, 404: ProblemSchema },
      },
    },
    async (request) => {
      const held = await app.held.repository.get(request.params.id)
      assertSite(request, held.site)
      return held
    },
  )

  app.post(
    '/api/held-events/:id/approve',
    {
      schema: {
        summary: 'Apply a held event, optionally after a count of the location or with another quantity',
        params: HeldParamsSchema,
        body: ApproveHeldSchema,
        response: { 200: HeldDecisionSchema, 403: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema },
      },
    },
    async (request) => decide(request, { id: request.params.id, action: 'approve', ...request.body }),
  )

  app.post(
    '/api/held-events/:id/reject',
    {
      schema: {
        summary: 'Reject a held event: nothing is applied, and its device is told',
        params: HeldParamsSchema,
        body: RejectHeldSchema,
        response: { 200: HeldDecisionSchema, 403: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema },
      },
    },
    async (request) => decide(request, { id: request.params.id, action: 'reject', ...request.body }),
  )

  app.post(
    '/api/held-events/decisions',
    {
      schema: {
        summary: 'Approve or reject several held events, each on its own: one outcome per decision, in order',
        body: HeldDecisionsSchema,
        response: { 200: HeldDecisionResultsSchema, 400: ProblemSchema },
      },
    },
    async (request): Promise<HeldDecisionResults> => {
      const ids = request.body.decisions.map((d) => d.id)
      const twice = ids.find((id, i) => ids.indexOf(id) !== i)
      if (twice !== undefined) throw new HubError('HELD_LISTED_TWICE', `held event ${twice} is listed more than once`)
      const bad = request.body.decisions.findIndex(
        (d) => d.action === 'reject' && (d.qty !== undefined || d.countedOnHand !== undefined || d.withoutPo !== undefined),
      )
      if (bad >= 0) throw new HubError('VALIDATION_FAILED', `/body/decisions/${bad}: a rejection takes only a reason`)
      const results: HeldDecisionResults['results'] = []
      // One after another, each in its own transaction: a refusal (decided meanwhile, still short)
      // leaves the others, and is told as the same decision alone would have been refused.
      for (const item of request.body.decisions) {
        try {
          results.push({ id: item.id, outcome: 'decided', decision: await decide(request, item) })
        } catch (err) {
          const problem = toProblem(err as Error, request)
          if (problem.status >= 500) request.log.error({ err, heldId: item.id }, 'a held event decision failed')
          results.push({ id: item.id, outcome: 'refused', problem })
        }
      }
      return { results }
    },
  )
}

export default heldEvents
