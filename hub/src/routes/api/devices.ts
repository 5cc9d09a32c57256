import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { actorOf } from '../../auth/caller.ts'
import {
  ProblemSchema,
  DeviceActionSchema,
  DeviceListSchema,
  DeviceParamsSchema,
  DeviceQuerySchema,
  DeviceSchema,
  DeviceWithSecretSchema,
  RegisterDeviceSchema,
} from '@wh/shared'
import { createDeviceRegistry, type IssuedSecret } from '../../devices/device-registry.ts'
import { provisioningFor, publicAddresses } from '../../devices/provisioning.ts'
import { emptyBodyAsObject } from '../../http/optional-body.ts'

/**
 * Admin: scanner registration. Every route that changes a device is here, so one guard (the
 * admin role, when API keys arrive) covers them. A secret is in the answer of a registration or
 * rotation only; a change takes effect on this instance at once and on others within the device
 * cache's lifetime (5 s).
 */
const deviceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const registry = createDeviceRegistry({ db: app.services.database.db, box: app.services.secretBox })
  const changed = <T>(id: string, result: T): T => {
    app.catalog.forgetDevice(id)
    return result
  }
  /** The new secret, this once, with the payload of the console's provisioning QR code. */
  const withProvisioning = (request: FastifyRequest, reply: FastifyReply, issued: IssuedSecret) => {
    reply.header('cache-control', 'no-store')
    const provisioning = provisioningFor(issued, publicAddresses(app.config, `${request.protocol}://${request.host}`))
    return changed(issued.device.id, { ...issued, provisioning })
  }
  const errors = { 404: ProblemSchema, 409: ProblemSchema, 422: ProblemSchema }

  app.get(
    '/api/devices',
    {
      schema: { summary: 'Registered devices (never their secrets)', querystring: DeviceQuerySchema, response: { 200: DeviceListSchema } },
    },
    async (request) => ({ devices: await registry.list(request.query) }),
  )

  app.get(
    '/api/devices/:id',
    { schema: { summary: 'One device', params: DeviceParamsSchema, response: { 200: DeviceSchema, 404: ProblemSchema } } },
    async (request) => registry.get(request.params.id),
  )

  app.post(
    '/api/devices',
    {
      schema: {
        summary: 'Register a device; the answer holds its signing secret, shown this once',
        body: RegisterDeviceSchema,
        response: { 201: DeviceWithSecretSchema, ...errors },
      },
    },
    async (request, reply) => {
      const issued = await registry.register({ ...request.body, actor: actorOf(request) })
      return withProvisioning(request, reply.code(201), issued)
    },
  )

  app.post(
    '/api/devices/:id/rotate',
    {
      schema: {
        summary: 'Issue a new signing secret; the old one stops working (shown this once)',
        params: DeviceParamsSchema,
        body: DeviceActionSchema,
        response: { 200: DeviceWithSecretSchema, ...errors },
      },
      preValidation: emptyBodyAsObject,
    },
    async (request, reply) => withProvisioning(request, reply, await registry.rotate(request.params.id, actorOf(request))),
  )

  for (const [action, enabled] of [
    ['disable', false],
    ['enable', true],
  ] as const) {
    app.post(
      `/api/devices/:id/${action}`,
      {
        schema: {
          summary: enabled ? 'Enable a device again' : 'Disable a device: its events are refused',
          params: DeviceParamsSchema,
          body: DeviceActionSchema,
          response: { 200: DeviceSchema, ...errors },
        },
        preValidation: emptyBodyAsObject,
      },
      async (request) => changed(request.params.id, await registry.setEnabled(request.params.id, enabled, actorOf(request))),
    )
  }
}

export default deviceRoutes
