import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'

/**
 * The OpenAPI document, generated from the routes' TypeBox schemas (the same ones that validate),
 * at `/docs/json`, with the interactive page at `/docs`. Registered before the routes it describes.
 */
export default fp(
  async function openapi(app) {
    await app.register(swagger, {
      openapi: {
        info: {
          title: 'Warehouse hub',
          version: '0.1.0',
          description: 'Live stock for the ordering site and the floor screens: stock check, reservations, inventory.',
        },
        tags: [{ name: 'ordering', description: 'Stock check and reservations' }],
      },
    })
    await app.register(swaggerUi, { routePrefix: '/docs' })
  },
  { name: 'openapi' },
)
