import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import {
  CreateWebhookSchema,
  DeliveryPageSchema,
  DeliveryParamsSchema,
  DeliveryQuerySchema,
  DeliveryWithBodySchema,
  IssuedWebhookSchema,
  PauseWebhookSchema,
  PingResultSchema,
  ProblemSchema,
  ReplayResultSchema,
  ReplaySchema,
  UpdateWebhookSchema,
  WebhookActionSchema,
  WebhookListQuerySchema,
  WebhookListSchema,
  WebhookParamsSchema,
  WebhookSchema,
} from '@wh/shared'
import { actorOf } from '../../auth/caller.ts'
import { emptyBodyAsObject } from '../../http/optional-body.ts'
import { assertSite, readableSites } from '../api-guard.ts'

const tags = ['webhooks']
const errors = { 403: ProblemSchema, 404: ProblemSchema, 409: ProblemSchema, 422: ProblemSchema }

/**
 * Admin: webhook subscriptions, their delivery log, pings and replays. A caller limited to sites
 * sees and changes only theirs. A secret is in the answer of a creation or rotation only. Every
 * change is audited under the caller (entity `webhook`).
 */
const webhookRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { subscriptions, deliveries, nudge } = app.webhooks

  /** The subscription, if the caller may act for its site. */
  async function owned(request: FastifyRequest, id: number) {
    const subscription = await subscriptions.get(id)
    assertSite(request, subscription.site)
    return subscription
  }

  app.get(
    '/api/webhooks',
    {
      schema: {
        summary: 'Webhook subscriptions (deleted ones only when asked for)',
        tags,
        querystring: WebhookListQuerySchema,
        response: { 200: WebhookListSchema, 403: ProblemSchema },
      },
    },
    async (request) => ({
      subscriptions: await subscriptions.list({ sites: readableSites(request, request.query.site), status: request.query.status }),
    }),
  )

  app.post(
    '/api/webhooks',
    {
      schema: {
        summary: 'Subscribe an endpoint; the answer holds its signing secret (whsec_…), shown this once',
        tags,
        body: CreateWebhookSchema,
        response: { 201: IssuedWebhookSchema, ...errors },
      },
    },
    async (request, reply) => {
      assertSite(request, request.body.site)
      reply.code(201).header('cache-control', 'no-store')
      return subscriptions.create(request.body, actorOf(request))
    },
  )

  app.get(
    '/api/webhooks/:id',
    {
      schema: {
        summary: 'One subscription, with its pending and dead message counts',
        tags,
        params: WebhookParamsSchema,
        response: { 200: WebhookSchema, ...errors },
      },
    },
    async (request) => owned(request, request.params.id),
  )

  app.patch(
    '/api/webhooks/:id',
    {
      schema: {
        summary: 'Change its name, URL, SKUs or events',
        tags,
        params: WebhookParamsSchema,
        body: UpdateWebhookSchema,
        response: { 200: WebhookSchema, 400: ProblemSchema, ...errors },
      },
    },
    async (request) => {
      await owned(request, request.params.id)
      return subscriptions.update(request.params.id, request.body, actorOf(request))
    },
  )

  app.delete(
    '/api/webhooks/:id',
    {
      schema: {
        summary: 'Delete it: nothing more is sent to it',
        tags,
        params: WebhookParamsSchema,
        response: { 200: WebhookSchema, ...errors },
      },
    },
    async (request) => {
      await owned(request, request.params.id)
      return subscriptions.remove(request.params.id, actorOf(request))
    },
  )

  app.post(
    '/api/webhooks/:id/pause',
    {
      schema: {
        summary: 'Pause deliveries; messages keep collecting',
        tags,
        params: WebhookParamsSchema,
        body: PauseWebhookSchema,
        response: { 200: WebhookSchema, ...errors },
      },
      preValidation: emptyBodyAsObject,
    },
    async (request) => {
      await owned(request, request.params.id)
      return subscriptions.pause(request.params.id, actorOf(request), request.body.reason)
    },
  )

  app.post(
    '/api/webhooks/:id/resume',
    {
      schema: {
        summary: 'Resume deliveries, from the oldest message owed',
        tags,
        params: WebhookParamsSchema,
        body: WebhookActionSchema,
        response: { 200: WebhookSchema, ...errors },
      },
      preValidation: emptyBodyAsObject,
    },
    async (request) => {
      await owned(request, request.params.id)
      const resumed = await subscriptions.resume(request.params.id, actorOf(request))
      nudge(request.params.id)
      return resumed
    },
  )

  app.post(
    '/api/webhooks/:id/rotate-secret',
    {
      schema: {
        summary: 'Issue a new signing secret; messages are signed with it from now on (shown this once)',
        tags,
        params: WebhookParamsSchema,
        body: WebhookActionSchema,
        response: { 200: IssuedWebhookSchema, ...errors },
      },
      preValidation: emptyBodyAsObject,
    },
    async (request, reply) => {
      await owned(request, request.params.id)
      reply.header('cache-control', 'no-store')
      return subscriptions.rotateSecret(request.params.id, actorOf(request))
    },
  )

  app.post(
    '/api/webhooks/:id/ping',
    {
      schema: {
        summary: 'Queue a webhook.ping message to the endpoint',
        tags,
        params: WebhookParamsSchema,
        body: WebhookActionSchema,
        response: { 202: PingResultSchema, ...errors },
      },
      preValidation: emptyBodyAsObject,
    },
    async (request, reply) => {
      await owned(request, request.params.id)
      const queued = await deliveries.ping(request.params.id, actorOf(request))
      nudge(request.params.id)
      return reply.code(202).send(queued)
    },
  )

  app.get(
    '/api/webhooks/:id/deliveries',
    {
      schema: {
        summary: 'The delivery log, newest first, a page at a time',
        tags,
        params: WebhookParamsSchema,
        querystring: DeliveryQuerySchema,
        response: { 200: DeliveryPageSchema, ...errors },
      },
    },
    async (request) => {
      await owned(request, request.params.id)
      return deliveries.list(request.params.id, request.query)
    },
  )

  app.get(
    '/api/webhooks/:id/deliveries/:messageId',
    {
      schema: {
        summary: 'One message of the log, with its body',
        tags,
        params: DeliveryParamsSchema,
        response: { 200: DeliveryWithBodySchema, ...errors },
      },
    },
    async (request) => {
      await owned(request, request.params.id)
      return deliveries.one(request.params.id, request.params.messageId)
    },
  )

  app.post(
    '/api/webhooks/:id/replay',
    {
      schema: {
        summary: 'Send messages again: a range of stock seqs or of log ids, or every dead-lettered one (same webhook-id)',
        tags,
        params: WebhookParamsSchema,
        body: ReplaySchema,
        response: { 200: ReplayResultSchema, 400: ProblemSchema, ...errors },
      },
    },
    async (request) => {
      await owned(request, request.params.id)
      const replayed = await deliveries.replay(request.params.id, request.body, actorOf(request))
      nudge(request.params.id)
      return replayed
    },
  )
}

export default webhookRoutes
