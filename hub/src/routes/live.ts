import type { FastifyPluginAsync } from 'fastify'
import type { RawData } from 'ws'
import { eq } from 'drizzle-orm'
import { LiveCloseCodes } from '@wh/shared/live'
import { sites } from '../db/schema/index.ts'
import { presentedKey } from './api-guard.ts'

/**
 * The floor screens' WebSocket, one site per socket: `/live?site=CODE`, then `subscribe`, then a
 * snapshot of the site or its missed deltas, then live. The API guard checks the key during the
 * upgrade (a refused one gets a plain 401, no socket); a browser sends it as a `bearer.<key>`
 * subprotocol beside `wh.live`, and the hub answers with `wh.live` only, so the key is never
 * echoed. A missing or unknown site, or one the key is not limited to, is refused on the open
 * socket with a close code (a browser cannot read a refused upgrade's status). An open socket's
 * key is checked again as often as keys are re-read, and a revoked one closes it (4401). Upgrades
 * are not rate-limited: a floor's screens share a key and all reconnect at once after a restart.
 */
const live: FastifyPluginAsync = async (app) => {
  const { db } = app.services.database
  const recheckMs = Math.max(app.config.API_KEY_CACHE_MS, 1000)
  app.get('/live', { websocket: true, config: { rateLimit: false } }, async (socket, request) => {
    // A client subscribes as soon as the socket opens: what it sends while the site is looked up
    // is kept and handed to the screen hub after.
    const early: RawData[] = []
    const hold = (data: RawData) => early.push(data)
    socket.on('message', hold)
    const site = (request.query as { site?: unknown }).site
    if (typeof site !== 'string' || site === '') return socket.close(LiveCloseCodes.unknownSite, 'name a site: /live?site=CODE')
    const allowed = request.caller?.sites
    if (allowed && !allowed.includes(site)) return socket.close(LiveCloseCodes.forbiddenSite, `the key is not allowed for site ${site}`)
    const [known] = await db.select({ code: sites.code }).from(sites).where(eq(sites.code, site)).limit(1)
    if (!known) return socket.close(LiveCloseCodes.unknownSite, `no site ${site}`.slice(0, 120))
    // A revoked key (a paired screen unpaired) or an ended session closes the screen.
    const key = presentedKey(request)
    const stillValid = async () => (key ? (await app.apiKeys.verifier.verify(key)).ok : app.people.stillSignedIn(request))
    const recheck = setInterval(() => {
      stillValid().then(
        (valid) => !valid && socket.close(LiveCloseCodes.unauthorized, 'no longer signed in'),
        () => undefined, // the database is away: keep the screen, check again next time
      )
    }, recheckMs)
    socket.on('close', () => clearInterval(recheck))
    try {
      await app.screens.sites.attach(site, socket)
    } catch (err) {
      request.log.warn({ err: (err as Error).message, site }, 'floor screen not attached; it retries')
      return socket.close(1011, 'live state unavailable')
    }
    socket.off('message', hold)
    for (const data of early) socket.emit('message', data, false)
  })
}

export default live
