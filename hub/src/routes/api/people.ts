import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { CreatePersonSchema, PersonListSchema, PersonParamsSchema, PersonSchema, ProblemSchema, UpdatePersonSchema } from '@wh/shared'
import { actorOf } from '../../auth/caller.ts'

const refusals = { 404: ProblemSchema, 409: ProblemSchema, 422: ProblemSchema }

/** Admin: the people who sign in to the console. Disabling one or setting their password ends their sessions at once. */
const people: FastifyPluginAsyncTypebox = async (app) => {
  const { store } = app.people

  app.get(
    '/api/people',
    { schema: { summary: 'Everyone who may sign in, disabled accounts too', tags: ['people'], response: { 200: PersonListSchema } } },
    async () => ({
      people: await store.list(),
    }),
  )

  app.get(
    '/api/people/:username',
    {
      schema: { summary: 'One person', tags: ['people'], params: PersonParamsSchema, response: { 200: PersonSchema, 404: ProblemSchema } },
    },
    async (request) => store.get(request.params.username),
  )

  app.post(
    '/api/people',
    {
      schema: {
        summary: 'Add a person who may sign in',
        tags: ['people'],
        body: CreatePersonSchema,
        response: { 201: PersonSchema, ...refusals },
      },
    },
    async (request, reply) => reply.code(201).send(await store.create(request.body, actorOf(request))),
  )

  app.patch(
    '/api/people/:username',
    {
      schema: {
        summary: "Change a person's name, role, sites or password, or disable or enable the account",
        tags: ['people'],
        params: PersonParamsSchema,
        body: UpdatePersonSchema,
        response: { 200: PersonSchema, ...refusals },
      },
    },
    async (request) => store.update(request.params.username, request.body, actorOf(request)),
  )
}

export default people
