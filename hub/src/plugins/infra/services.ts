import fp from 'fastify-plugin'
import { openServices, type Services } from '../../services.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** The services this process shares with the worker and the CLIs (see services.ts). */
    services: Services
  }
}

/**
 * The process's services on the app. Given services (a test's) are the caller's to close;
 * opened here, they close after every other plugin (onClose runs in reverse order).
 */
export default fp<{ services?: Services }>(
  async function services(app, options) {
    const services = options.services ?? (await openServices(app.config, app.log))
    app.decorate('services', services)
    if (services.developmentKey)
      app.log.warn(
        'HUB_SECRET_KEY is not set: device secrets are sealed with the public development key. Set HUB_SECRET_KEY (openssl rand -hex 32) anywhere but a development machine.',
      )
    if (!options.services) app.addHook('onClose', () => services.close())
  },
  { name: 'services', dependencies: ['config'] },
)
