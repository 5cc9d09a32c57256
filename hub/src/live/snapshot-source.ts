import type { InventorySnapshot } from '@wh/shared/live'
import type { FloorState } from './floor-state.ts'
import type { LiveCache } from './live-cache.ts'

export interface EncodedSnapshot {
  seq: number
  /** The `inventory_snapshot` message, encoded once for every screen it goes to. */
  body: Buffer
}

/**
 * Snapshots for subscribing screens. A whole-floor snapshot is read and encoded once and shared
 * by every screen that subscribes within `reuseMs` (a hub restart brings them all back at once);
 * each screen then gets the deltas after the snapshot's seq, so an older snapshot is still exact.
 */
export function createSnapshotSource(
  cache: Pick<LiveCache, 'snapshot'>,
  state: Pick<FloorState, 'productInfo'>,
  reuseMs = 1000,
  now = Date.now,
) {
  let shared: { at: number; snapshot: Promise<EncodedSnapshot> } | undefined

  async function build(skus?: string[]): Promise<EncodedSnapshot> {
    const [snapshot, products] = await Promise.all([cache.snapshot(skus), state.productInfo(skus)])
    const message: InventorySnapshot = { type: 'inventory_snapshot', seq: snapshot.seq, products, data: snapshot.data }
    return { seq: snapshot.seq, body: Buffer.from(JSON.stringify(message)) }
  }

  return {
    get(skus?: string[], { fresh = false } = {}): Promise<EncodedSnapshot> {
      if (skus) return build(skus)
      if (fresh || !shared || now() - shared.at > reuseMs) {
        const entry = { at: now(), snapshot: build() }
        entry.snapshot.catch(() => shared === entry && (shared = undefined))
        shared = entry
      }
      return shared.snapshot
    },
    /** The stream restarted: a snapshot taken before is numbered in the old sequence. */
    forget() {
      shared = undefined
    },
  }
}

export type SnapshotSource = ReturnType<typeof createSnapshotSource>
