import { LRUCache } from 'lru-cache'
import type { ApiRole } from '@wh/shared'
import type { Caller } from './caller.ts'
import { DatabaseTimeoutError } from '../db/transaction.ts'
import { hashApiKey, parseApiKey, sameHash } from './api-key-format.ts'
import { keySites, type ApiKeyRow, type ApiKeyStore } from './api-key-store.ts'

/** A key that checked out: the caller, and the prefix that names the key in logs. */
export type KeyCaller = Caller & { kind: 'key'; role: ApiRole; prefix: string }

export type Verdict = { ok: true; caller: KeyCaller } | { ok: false; why: 'malformed' | 'unknown' | 'wrong secret' | 'revoked' }

const TOUCH_EVERY_MS = 60_000
/** A key lookup the database has not answered by then is a 503: a blackholed link never errors by itself. */
const LOOKUP_TIMEOUT_MS = 2000

/**
 * Checks presented keys against the store. Rows are cached by prefix for `cacheMs` (found or
 * not, lookups of one prefix in flight shared), so a busy client costs a query every few seconds
 * rather than one per request; the price is that a revocation made on another instance (or by the
 * CLI) is honoured here only once the entry expires, within `cacheMs`. While the database does
 * not answer, a key read before keeps its last state (nothing can be revoked meanwhile anyway),
 * and an unknown one is answered 503 after LOOKUP_TIMEOUT_MS.
 */
export function createKeyVerifier(deps: { store: ApiKeyStore; cacheMs: number; onError?: (err: unknown) => void }) {
  // One query per prefix at a time, even past its timeout: a dead link must not fill the pool.
  const inflight = new Map<string, Promise<ApiKeyRow | null>>()
  async function lookup(prefix: string): Promise<ApiKeyRow | null> {
    let query = inflight.get(prefix)
    if (!query) {
      query = deps.store
        .findByPrefix(prefix)
        .then((row) => row ?? null)
        .finally(() => inflight.delete(prefix))
      inflight.set(prefix, query)
    }
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>(
      (_, reject) => (timer = setTimeout(() => reject(new DatabaseTimeoutError(LOOKUP_TIMEOUT_MS)), LOOKUP_TIMEOUT_MS)),
    )
    try {
      return await Promise.race([query, timeout])
    } finally {
      clearTimeout(timer)
    }
  }
  const cache = new LRUCache<string, { row: ApiKeyRow | null }>({
    max: 10_000,
    ttl: Math.max(1, deps.cacheMs),
    allowStaleOnFetchRejection: true,
    noDeleteOnFetchRejection: true,
    fetchMethod: async (prefix) => ({ row: await lookup(prefix) }),
  })
  const touched = new Map<number, number>()

  function touch(id: number) {
    const now = Date.now()
    if (now - (touched.get(id) ?? 0) < TOUCH_EVERY_MS) return
    touched.set(id, now)
    deps.store.touch(id).catch((err: unknown) => deps.onError?.(err))
  }

  return {
    async verify(presented: string): Promise<Verdict> {
      const parsed = parseApiKey(presented)
      if (!parsed) return { ok: false, why: 'malformed' }
      const entry = await cache.fetch(parsed.prefix)
      // Undefined: the lookup failed and nothing was known of the key before (a 503, not a 401).
      if (!entry) throw new DatabaseTimeoutError(LOOKUP_TIMEOUT_MS)
      const { row } = entry
      if (!row) return { ok: false, why: 'unknown' }
      if (!sameHash(hashApiKey(presented), row.keyHash)) return { ok: false, why: 'wrong secret' }
      if (row.revokedAt !== null) return { ok: false, why: 'revoked' }
      touch(row.id)
      return {
        ok: true,
        caller: { kind: 'key', id: row.id, name: row.name, role: row.role as ApiRole, prefix: row.prefix, sites: keySites(row) },
      }
    },

    /** Drops a key from this instance's cache, so a change made here applies here at once. */
    forget(prefix: string) {
      cache.delete(prefix)
    },
  }
}

export type KeyVerifier = ReturnType<typeof createKeyVerifier>
