import type { WebSocket } from 'ws'
import type { Log } from '../log.ts'
import type { Redis } from '../redis/redis-client.ts'
import { createDeltaReader, type DeltaReader } from './delta-reader.ts'
import type { FloorState } from './floor-state.ts'
import type { Delta, LiveCache } from './live-cache.ts'
import { createScreenHub, type ScreenHub } from './screen-hub.ts'
import { createSnapshotSource } from './snapshot-source.ts'

const OPEN = 1

/** One site's screens on this instance, with the reader that follows the site's delta stream. */
export interface SiteGroup {
  site: string
  hub: ScreenHub
  reader: DeltaReader
}

export interface SiteScreensDeps {
  redis: Redis
  cache: LiveCache
  state: FloorState
  log: Log
  /** Socket writes per second across all of this instance's screens (LIVE_FRAME_BUDGET). */
  frameBudget: number
  maxBufferedBytes: number
  fanoutBufferBytes: number
  /** Every read of a site's stream that reached screens. */
  delivered: (deltas: Delta[]) => void
  /** A site got its first screen here (subscribe to its feed channel), or lost its last. */
  opened: (site: string) => Promise<void>
  closed: (site: string) => Promise<void>
}

/**
 * This instance's floor screens, grouped by site. A site's group (a screen hub and a reader on its
 * own Redis connection, as XREAD blocks it) is opened by the site's first screen and closed with
 * its last, so an instance follows only the streams its screens watch. The frame budget is shared:
 * each site's reads are paced by the instance's screens in all sites, so however the screens are
 * spread, the instance sends about LIVE_FRAME_BUDGET frames a second.
 */
export function createSiteScreens(deps: SiteScreensDeps) {
  const groups = new Map<string, Promise<SiteGroup>>()
  const open = new Map<string, SiteGroup>()
  const total = () => [...open.values()].reduce((n, g) => n + g.hub.size, 0)

  async function start(site: string): Promise<SiteGroup> {
    const connection = deps.redis.duplicate()
    connection.on('error', (err: Error) => deps.log.warn({ err: err.message, site }, 'redis connection error'))
    await connection.connect()
    const reader = createDeltaReader({
      reader: connection,
      redis: deps.redis,
      stream: deps.cache.keys.stream(site),
      seqKey: deps.cache.keys.seq(site),
      log: deps.log,
      pace: () => hub.ready((total() * 1000) / deps.frameBudget),
      wanted: () => hub.size > 0,
    })
    const hub = createScreenHub({
      reader,
      snapshots: createSnapshotSource(deps.cache, deps.state, site),
      log: deps.log,
      maxBufferedBytes: deps.maxBufferedBytes,
      fanoutBufferBytes: deps.fanoutBufferBytes,
    })
    // The reader starts at the stream's end before any screen subscribes, so none misses a delta.
    await reader.start({
      deltas: (deltas) => {
        hub.deltas(deltas)
        if (hub.size > 0) deps.delivered(deltas)
      },
      reset: hub.resnapshot,
    })
    await deps.opened(site)
    const group = { site, hub, reader }
    open.set(site, group)
    return group
  }

  /** Closes a site's group once its last screen has gone (a screen that arrived meanwhile keeps it). */
  async function release(site: string) {
    const group = open.get(site)
    if (!group || group.hub.size > 0) return
    open.delete(site)
    groups.delete(site)
    group.hub.close()
    await Promise.all([group.reader.close(), deps.closed(site)]).catch((err: Error) =>
      deps.log.warn({ err: err.message, site }, 'site screens not closed cleanly'),
    )
  }

  return {
    /** Adds a screen of `site`, opening the site's group if it is the first. */
    async attach(site: string, socket: WebSocket) {
      for (;;) {
        let pending = groups.get(site)
        if (!pending) {
          pending = start(site)
          groups.set(site, pending)
          pending.catch(() => groups.delete(site))
        }
        const group = await pending
        // The screen left while its site's group was opening, or the group closed meanwhile.
        if (socket.readyState !== OPEN) return void release(site)
        if (open.get(site) !== group) continue
        group.hub.attach(socket)
        socket.on('close', () => void release(site))
        return
      }
    },
    /** A feed message for the screens of one site. */
    feed(text: string, site: string) {
      open.get(site)?.hub.feed(text)
    },
    /** The sites with screens here, each with its group. */
    get groups(): SiteGroup[] {
      return [...open.values()].sort((a, b) => a.site.localeCompare(b.site))
    },
    /** Screens on this instance, all sites. */
    get size() {
      return total()
    },
    /** Each site's heartbeat; a group whose screens all went silent is closed. */
    heartbeat() {
      for (const g of open.values()) {
        g.hub.heartbeat()
        if (g.hub.size === 0) void release(g.site)
      }
    },
    async close() {
      const all = await Promise.allSettled(groups.values())
      groups.clear()
      open.clear()
      await Promise.all(
        all
          .flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))
          .map(async (g) => {
            g.hub.close()
            await g.reader.close()
          }),
      )
    },
  }
}

export type SiteScreens = ReturnType<typeof createSiteScreens>
