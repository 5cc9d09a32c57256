import { describe, expect, it } from 'vitest'
import type { FastifyRequest } from 'fastify'
import { API_KEY_PATTERN, roleAllows, type ApiRole } from '@wh/shared'
import { liveProtocols } from '@wh/shared/live'
import { hashApiKey, newApiKey, parseApiKey, sameHash } from '../../hub/src/auth/api-key-format.ts'
import type { ApiKeyRow, ApiKeyStore } from '../../hub/src/auth/api-key-store.ts'
import { createKeyVerifier } from '../../hub/src/auth/key-verifier.ts'
import { presentedKey } from '../../hub/src/routes/api-guard.ts'

const request = (headers: Record<string, string>) => ({ headers }) as unknown as FastifyRequest

describe('API key format', () => {
  it('issues whk_<12 hex>_<43 base64url> keys that parse back to their prefix, and never the same twice', () => {
    const a = newApiKey()
    expect(a.key).toMatch(new RegExp(API_KEY_PATTERN))
    expect(parseApiKey(a.key)).toEqual(a)
    expect(newApiKey().key).not.toBe(a.key)
  })

  it('refuses anything else', () => {
    for (const bad of [
      '',
      'whk_',
      `whk_ABCDEF012345_${'a'.repeat(43)}`,
      `whk_0123456789ab_${'a'.repeat(42)}`,
      `xx_0123456789ab_${'a'.repeat(43)}`,
    ])
      expect(parseApiKey(bad), bad).toBeUndefined()
  })

  it('compares hashes of the whole key', () => {
    const { key } = newApiKey()
    expect(sameHash(hashApiKey(key), hashApiKey(key))).toBe(true)
    expect(sameHash(hashApiKey(key), hashApiKey(`${key.slice(0, -1)}x`))).toBe(false)
    expect(sameHash(hashApiKey(key), 'abcd')).toBe(false)
  })
})

describe('roles', () => {
  it('admin reaches everything, orders reaches viewer, metrics only itself', () => {
    const roles: ApiRole[] = ['viewer', 'orders', 'admin', 'metrics']
    const reach = Object.fromEntries(roles.map((held) => [held, roles.filter((needed) => roleAllows(held, needed))]))
    expect(reach).toEqual({
      viewer: ['viewer'],
      orders: ['viewer', 'orders'],
      admin: ['viewer', 'orders', 'admin', 'metrics'],
      metrics: ['metrics'],
    })
  })
})

describe('where a request carries its key', () => {
  it('Bearer, Basic (as the password), or a bearer.<key> WebSocket subprotocol; nothing else', () => {
    expect(presentedKey(request({ authorization: 'Bearer whk_k' }))).toBe('whk_k')
    expect(presentedKey(request({ authorization: `Basic ${Buffer.from('me:whk_k').toString('base64')}` }))).toBe('whk_k')
    expect(presentedKey(request({ 'sec-websocket-protocol': liveProtocols('whk_k').join(', ') }))).toBe('whk_k')
    expect(presentedKey(request({ 'sec-websocket-protocol': 'wh.live' }))).toBeUndefined()
    expect(presentedKey(request({ authorization: 'Token whk_k' }))).toBeUndefined()
    expect(presentedKey(request({}))).toBeUndefined()
  })
})

describe('the key verifier', () => {
  const issue = () => {
    const { prefix, key } = newApiKey()
    const row = {
      id: 1,
      name: 'k',
      role: 'viewer',
      prefix,
      keyHash: hashApiKey(key),
      sites: null,
      revokedAt: null as Date | null,
    } as ApiKeyRow
    return { key, row }
  }
  const storeOf = (find: (prefix: string) => Promise<ApiKeyRow | undefined>) =>
    ({ findByPrefix: find, touch: async () => undefined }) as unknown as ApiKeyStore

  it('reads a key once per cache time, and sees a revocation after it', async () => {
    const { key, row } = issue()
    let reads = 0
    const verifier = createKeyVerifier({ store: storeOf(async () => (reads++, { ...row })), cacheMs: 100 })
    expect((await verifier.verify(key)).ok).toBe(true)
    expect((await verifier.verify(key)).ok).toBe(true)
    expect(reads).toBe(1)
    row.revokedAt = new Date()
    expect((await verifier.verify(key)).ok).toBe(true)
    await new Promise((r) => setTimeout(r, 150))
    expect(await verifier.verify(key)).toEqual({ ok: false, why: 'revoked' })
    expect(await verifier.verify(`${key.slice(0, -1)}${key.endsWith('a') ? 'b' : 'a'}`)).toEqual({ ok: false, why: 'wrong secret' })
  })

  it('keeps a known key while the database is away; an unknown one is a 503 after the lookup timeout', async () => {
    const { key, row } = issue()
    let away = false
    const verifier = createKeyVerifier({ store: storeOf(() => (away ? new Promise(() => undefined) : Promise.resolve(row))), cacheMs: 50 })
    expect((await verifier.verify(key)).ok).toBe(true)
    away = true
    await new Promise((r) => setTimeout(r, 100))
    expect((await verifier.verify(key)).ok).toBe(true)
    await expect(verifier.verify(newApiKey().key)).rejects.toMatchObject({ statusCode: 503, code: 'DB_UNAVAILABLE' })
  }, 10_000)
})
