import type { FastifyPluginAsync } from 'fastify'
import { eq } from 'drizzle-orm'
import { sites as sitesTable } from '../../db/schema/index.ts'

/**
 * How the floor screens are served, per site (every active site, and any the cache or a screen
 * names): each site's stream seq, this instance's screens and lag there, and every instance's;
 * this process's memory. A key limited to sites sees those.
 */
const syncStatus: FastifyPluginAsync = async (app) => {
  app.get('/api/sync-status', async (request) => {
    const { sites, instances } = app.screens
    const { redis, liveCache, database } = app.services
    const [registered, cached, all] = await Promise.all([
      database.db.select({ code: sitesTable.code }).from(sitesTable).where(eq(sitesTable.active, true)),
      liveCache.sites(),
      instances.list(),
    ])
    const allowed = request.caller?.sites
    const codes = [...new Set([...registered.map((r) => r.code), ...cached, ...all.flatMap((i) => Object.keys(i.sites))])]
      .filter((site) => !allowed || allowed.includes(site))
      .sort()
    const seqs = codes.length > 0 ? (await redis.mGet(codes.map((site) => liveCache.keys.seq(site)))).map((s) => Number(s ?? 0)) : []
    const here = new Map(sites.groups.map((g) => [g.site, g]))
    const memory = process.memoryUsage()
    const mb = (bytes: number) => Math.round(bytes / 2 ** 20)
    return {
      instance: app.config.HUB_INSTANCE_ID,
      screens: codes.reduce((n, site) => n + (here.get(site)?.hub.size ?? 0), 0),
      totalScreens: all.reduce((n, i) => n + codes.reduce((m, site) => m + (i.sites[site]?.screens ?? 0), 0), 0),
      sites: codes.map((site, i) => {
        const seq = seqs[i]!
        const group = here.get(site)
        return {
          site,
          seq,
          screens: group?.hub.size ?? 0,
          /** Deltas this instance has yet to read (0 when it has no screens of the site, so follows nothing). */
          lag: group ? Math.max(0, seq - group.reader.lastSeq) : 0,
          instances: all.flatMap((inst) => {
            const at = inst.sites[site]
            return at ? [{ instance: inst.instance, screens: at.screens, seq: at.seq, lag: Math.max(0, seq - at.seq), at: inst.at }] : []
          }),
        }
      }),
      /** This process, in MB: what a thousand screens cost shows here. */
      memory: { rss: mb(memory.rss), heapUsed: mb(memory.heapUsed), external: mb(memory.external), arrayBuffers: mb(memory.arrayBuffers) },
    }
  })
}

export default syncStatus
