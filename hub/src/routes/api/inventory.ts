import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { HubError } from '../../errors.ts'

/** Live stock of one product, from the Redis cache, with its per-location breakdown. */
const inventory: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/inventory/:sku',
    { schema: { params: Type.Object({ sku: Type.String({ minLength: 1, maxLength: 64 }) }) } },
    async (request) => {
      const product = await app.liveCache.read(request.params.sku)
      if (!product) throw new HubError('NOT_FOUND', `no stock recorded for ${request.params.sku}`)
      return product
    },
  )
}

export default inventory
