import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { sql } from 'drizzle-orm'
import Type from 'typebox'
import { IdentifierSchema } from '@wh/shared'
import { devices } from '../../db/schema/index.ts'

const DeviceBody = Type.Object(
  { site: IdentifierSchema, kind: Type.Optional(Type.Enum(['handheld', 'fixed'])) },
  { additionalProperties: false },
)

/** Registering a scanner: idempotent, so a fleet can be (re)registered before every run. */
const deviceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.put('/api/devices/:id', { schema: { params: Type.Object({ id: IdentifierSchema }), body: DeviceBody } }, async (request) => {
    const { id } = request.params
    const { site, kind = 'handheld' } = request.body
    await app.database.db
      .insert(devices)
      .values({ id, site, kind })
      .onDuplicateKeyUpdate({ set: { site: sql`VALUES(site)`, kind: sql`VALUES(kind)` } })
    app.catalog.forgetDevice(id)
    return { id, site, kind }
  })
}

export default deviceRoutes
