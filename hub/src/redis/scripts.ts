import { luaScript } from './lua-script.ts'

type Arg = string | number

/** An event's state after sequence-admit. */
export type SequencerState = 'admitted' | 'resend' | 'waiting' | 'unknown'

/**
 * Every Lua script the hub runs, typed as its header comment (in `scripts/`) states its KEYS,
 * ARGV and reply. Each file is read and hashed when this module loads.
 */
export const scripts = {
  sequenceAdmit: luaScript<[], [prefix: string, now: number, ...events: Arg[]], [SequencerState[], string[]]>('sequence-admit'),
  sequenceReleaseGaps: luaScript<[], [prefix: string, now: number, waitMs: number], [[string, number, number][], string[]]>(
    'sequence-release-gaps',
  ),
  inboxAdvance: luaScript<
    [inbox: string, listening: string, trimmed: string],
    [appliedCount: number, firstApplied: string, lastApplied: string, max: number, listenMs: number],
    string[]
  >('inbox-advance'),
  inboxPush: luaScript<[], [prefix: string, ...items: Arg[]], [string[], string[]]>('inbox-push'),
  inboxUnlisten: luaScript<[inbox: string, listening: string], [], 0 | 1>('inbox-unlisten'),
  cachePublish: luaScript<
    [sites: string, dirty: string, ...perProduct: string[]],
    [streamMaxLen: number, at: number, ...products: Arg[]],
    string[]
  >('cache-publish'),
  cacheSnapshot: luaScript<
    [seq: string, skus: string, ...products: string[]],
    [mode: 'all' | 'named', ...skus: string[]],
    [number, ...(string | string[])[]]
  >('cache-snapshot'),
  cacheReadHashes: luaScript<string[], [], string[][]>('cache-read-hashes'),
  runLockRenew: luaScript<[lock: string], [token: string, ttlMs: number], 0 | 1>('run-lock-renew'),
  dirtyTake: luaScript<[dirty: string, taken: string], [], string[]>('dirty-take'),
  dirtyRestore: luaScript<[dirty: string, taken: string], [], 0>('dirty-restore'),
}
