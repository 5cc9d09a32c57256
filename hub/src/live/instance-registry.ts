import type { Redis } from '../redis/redis-client.ts'

/** An instance's screens of one site, and how far it has read that site's stream. */
export interface SiteReport {
  screens: number
  seq: number
}

export interface InstanceReport {
  instance: string
  /** Screens on the instance, all sites. */
  screens: number
  /** Per site with screens on the instance. */
  sites: Record<string, SiteReport>
  at: string
}

/** Each hub instance reports its screens and stream positions per site, so any one can show them all. */
export function createInstanceRegistry(redis: Redis, prefix: string, instance: string, everyMs: number) {
  const key = `${prefix}:live:instances`
  return {
    async report(sites: Record<string, SiteReport>) {
      const screens = Object.values(sites).reduce((n, s) => n + s.screens, 0)
      const report: InstanceReport = { instance, screens, sites, at: new Date().toISOString() }
      await redis.hSet(key, instance, JSON.stringify(report))
    },
    /** Instances heard from in the last three report intervals; older entries are removed. */
    async list(): Promise<InstanceReport[]> {
      // A report from before sites (an instance not yet upgraded) counts as one with none.
      const all = Object.values(await redis.hGetAll(key)).map((r) => {
        const report = JSON.parse(r) as InstanceReport
        return { ...report, sites: report.sites ?? {} }
      })
      const cutoff = Date.now() - 3 * everyMs
      const gone = all.filter((r) => Date.parse(r.at) < cutoff).map((r) => r.instance)
      if (gone.length > 0) await redis.hDel(key, gone)
      return all.filter((r) => Date.parse(r.at) >= cutoff).sort((a, b) => a.instance.localeCompare(b.instance))
    },
    async leave() {
      await redis.hDel(key, instance)
    },
  }
}

export type InstanceRegistry = ReturnType<typeof createInstanceRegistry>
