import fp from 'fastify-plugin'
import { openConsoleChanges, type ConsoleChanges } from './console-changes.ts'

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
    app.addHook('onClose', () => changes.close())
  },
  { name: 'console-changes', dependencies: ['services'] },
)
