import fp from 'fastify-plugin'

declare module 'fastify' {
  interface FastifyInstance {
    lifecycle: {
      /**
       * Adds a step that stops this process taking new work (MQTT messages, say). All such steps
       * run together when the app closes, before any other close hook: so the queue workers,
       * which close next, are not handed more while they finish.
       */
      onStopIntake: (step: () => Promise<void>) => void
    }
  }
}

/**
 * The first stage of shutdown. Fastify runs `preClose` hooks in the order they were added and
 * this plugin is registered first, so its hook runs before the domain plugins' and the workers'.
 */
export default fp(
  async function lifecycle(app) {
    const steps: (() => Promise<void>)[] = []
    app.decorate('lifecycle', { onStopIntake: (step) => void steps.push(step) })
    app.addHook('preClose', async () => {
      const results = await Promise.allSettled(steps.map((step) => step()))
      for (const r of results)
        if (r.status === 'rejected') app.log.warn({ err: (r.reason as Error).message }, 'intake did not stop cleanly')
    })
  },
  { name: 'lifecycle' },
)
