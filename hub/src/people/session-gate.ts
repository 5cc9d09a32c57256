import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyRequest, onRequestHookHandler } from 'fastify'
import session, { type FastifySessionOptions } from '@fastify/session'

export interface GatedSessionOptions extends FastifySessionOptions {
  /** Whether a request may need its session; the others keep `request.session` null. */
  needs: (request: FastifyRequest) => boolean
}

/**
 * @fastify/session with its onRequest hook run only where a session can matter. That hook makes a
 * new signed session id (an HMAC and two hashes of the empty session) for every request without
 * the cookie, Bearer-key calls too: about 6% of a stock check's CPU in a profile of its loop.
 * Hand-written: neither Fastify nor the plugin can skip a hook per request, so the plugin is given
 * the app with `addHook` wrapped (its onSend hook already passes a request without a session).
 */
export const gatedSession = fp<GatedSessionOptions>(
  (app, { needs, ...options }, done) => {
    const addHook = (name: string, hook: onRequestHookHandler) => {
      if (name !== 'onRequest') return app.addHook(name as 'onSend', hook as never)
      return app.addHook('onRequest', function (request, reply, next) {
        if (needs(request)) return hook.call(this, request, reply, next)
        next()
      })
    }
    const gated = new Proxy(app, {
      get: (target, key) => {
        if (key === 'addHook') return addHook
        const value: unknown = Reflect.get(target, key, target)
        return typeof value === 'function' ? value.bind(target) : value
      },
    }) as FastifyInstance
    session(gated, options, done)
  },
  { name: 'gated-session', dependencies: ['@fastify/cookie'] },
)
