import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'

/**
 * The OpenAPI document, generated from the routes' TypeBox schemas (the same ones that validate),
 * at `/docs/json`, with the interactive page at `/docs`. Registered before the routes it describes.
 * Both are open without a key: they hold the API's shape and no data, and the ordering site's
 * developers read them before they have a key; trying a call from the page takes one.
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
        tags: [
          { name: 'ordering', description: 'Stock check and reservations' },
          { name: 'catalog', description: 'Sites, locations and products (admin; reads for viewers)' },
          { name: 'webhooks', description: 'Subscriptions pushed stock and order events (admin): signed, in order, retried, replayable' },
          { name: 'handheld', description: "The handheld app's work lists, read with the device's signature (or a viewer's key)" },
        ],
        // Every /api route takes `Authorization: Bearer <key>`; the page's Authorize button sends it.
        // Handhelds sign their reads with their device secret instead (docs/api.md, Device requests).
        components: {
          securitySchemes: {
            apiKey: { type: 'http', scheme: 'bearer', description: 'An API key, whk_…' },
            device: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'WH-Device <deviceId>:<at>:<signature>' },
          },
        },
        security: [{ apiKey: [] }],
      },
    })
    await app.register(swaggerUi, { routePrefix: '/docs' })
  },
  { name: 'openapi' },
)
