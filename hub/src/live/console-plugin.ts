import fp from 'fastify-plugin'
import { openConsoleChanges, type ConsoleChanges } from './console-changes.ts'
import { createStockAnnouncer } from './stock-announcer.ts'

declare module 'fastify' {
  interface FastifyInstance {
    consoleChanges: ConsoleChanges
  }
}

/** The change feed every open console listens to (see console-changes.ts). */
export default fp(
  async function consoleChanges(app) {
    const changes = await openConsoleChanges(app.services.redis, app.config.REDIS_PREFIX, app.log.child({ module: 'console-changes' }))
    app.decorate('consoleChanges', changes)
    // Most stock changes are no console's HTTP change (scans above all): the stock core's publisher tells of every one.
    const stock = createStockAnnouncer(changes.announce)
    app.services.stock.onChange((levels) => stock.changed(levels))
    app.addHook('onClose', async () => {
      stock.close()
      await changes.close()
    })
  },
  { name: 'console-changes', dependencies: ['services'] },
)
