import type { InventorySnapshot } from '@wh/shared/live'
import type { FloorState } from './floor-state.ts'
import type { LiveCache } from './live-cache.ts'
import { reused } from './reused.ts'

export interface EncodedSnapshot {
  seq: number
  /** The `inventory_snapshot` message, encoded once for every screen it goes to. */
  body: Buffer
}

/**
 * What a subscribing screen of `site` is sent first. A whole-floor snapshot of the site is read
 * and encoded once and shared by every screen that subscribes within `reuseMs` (a hub restart
 * brings them all back at once); each screen then gets the deltas after the snapshot's seq (of the
 * site's stream), so an older snapshot is still exact. The site's floor feed state (devices,
 * activity, held events) is shared the same way.
 */
export function createSnapshotSource(
  cache: Pick<LiveCache, 'snapshot'>,
  state: Pick<FloorState, 'productInfo' | 'initial'>,
  site: string,
  reuseMs = 1000,
) {
  async function build(skus?: string[]): Promise<EncodedSnapshot> {
    const [snapshot, products] = await Promise.all([cache.snapshot(site, skus), state.productInfo(site, skus)])
    const message: InventorySnapshot = { type: 'inventory_snapshot', site, seq: snapshot.seq, products, data: snapshot.data }
    return { seq: snapshot.seq, body: Buffer.from(JSON.stringify(message)) }
  }
  const wholeFloor = reused(reuseMs, () => build())
  const feed = reused(reuseMs, async () => (await state.initial(site)).map((m) => Buffer.from(JSON.stringify(m))))

  return {
    get(skus?: string[], { fresh = false } = {}): Promise<EncodedSnapshot> {
      return skus ? build(skus) : wholeFloor.get({ fresh })
    },
    /** The feed messages a new screen starts from, encoded. */
    feed: () => feed.get(),
    /** The stream restarted: a snapshot taken before is numbered in the old sequence. */
    forget() {
      wholeFloor.forget()
    },
  }
}

export type SnapshotSource = ReturnType<typeof createSnapshotSource>
