import fp from 'fastify-plugin'
import { resolveHubKey } from '../../devices/hub-key.ts'
import { createSecretBox, type SecretBox } from '../../devices/secret-box.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** Seals and opens device signing secrets with the hub's key (HUB_SECRET_KEY). */
    secretBox: SecretBox
  }
}

export default fp(
  async function secretBox(app) {
    const { key, development } = resolveHubKey(app.config.HUB_SECRET_KEY)
    if (development) {
      app.log.warn(
        'HUB_SECRET_KEY is not set: device secrets are sealed with the public development key. Set HUB_SECRET_KEY (openssl rand -hex 32) anywhere but a development machine.',
      )
    }
    app.decorate('secretBox', createSecretBox(key))
  },
  { name: 'secret-box', dependencies: ['config'] },
)
