import fp from 'fastify-plugin'
import { createStockPublisher, type StockPublisher } from './stock-publisher.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** The after-commit publisher every stock change goes through. */
    stock: StockPublisher
  }
}

export default fp(
  async function stock(app) {
    app.decorate('stock', createStockPublisher({ cache: app.liveCache, feed: app.floorFeed, log: app.log.child({ module: 'stock' }) }))
  },
  { name: 'stock', dependencies: ['live'] },
)
