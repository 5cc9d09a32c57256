import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../hub/src/config.ts'
import { DEVELOPMENT_HUB_KEY, decodeHubKey, resolveHubKey } from '../../hub/src/devices/hub-key.ts'
import { createSecretBox, newDeviceSecret, SealError } from '../../hub/src/devices/secret-box.ts'

const KEY_HEX = 'a1'.repeat(32)

describe('the hub key', () => {
  it('is 32 bytes as hex or base64 (standard or URL-safe)', () => {
    const bytes = Buffer.from(KEY_HEX, 'hex')
    expect(decodeHubKey(KEY_HEX)).toEqual(bytes)
    expect(decodeHubKey(bytes.toString('base64'))).toEqual(bytes)
    expect(decodeHubKey(bytes.toString('base64url'))).toEqual(bytes)
    for (const bad of ['', 'secret', 'a1'.repeat(31), 'a1'.repeat(33), Buffer.alloc(31).toString('base64'), 'zz'.repeat(32)]) {
      expect(decodeHubKey(bad)).toBeUndefined()
    }
  })

  it('falls back to the public development key only when unset', () => {
    expect(resolveHubKey(undefined)).toEqual({ key: Buffer.from(DEVELOPMENT_HUB_KEY, 'hex'), development: true })
    expect(resolveHubKey(KEY_HEX).development).toBe(false)
  })

  it('is checked at boot with a clear message', () => {
    expect(() => loadConfig({ HUB_SECRET_KEY: 'not-a-key' })).toThrow(/HUB_SECRET_KEY must be 32 bytes .* openssl rand -hex 32/)
    expect(loadConfig({ HUB_SECRET_KEY: KEY_HEX }).HUB_SECRET_KEY).toBe(KEY_HEX)
  })
})

describe('sealed device secrets', () => {
  const box = createSecretBox(Buffer.from(KEY_HEX, 'hex'))

  it('open with the same key and device id, and never hold the secret in clear', () => {
    const secret = newDeviceSecret()
    const sealed = box.seal(secret, 'HH-01')
    expect(box.unseal(sealed, 'HH-01')).toBe(secret)
    expect(sealed).not.toContain(secret)
    expect(Buffer.from(sealed, 'base64').toString('latin1')).not.toContain(secret)
    expect(sealed.length).toBeLessThanOrEqual(255)
  })

  it('differ every time (a fresh IV), even for the same secret', () => {
    expect(box.seal('same', 'HH-01')).not.toBe(box.seal('same', 'HH-01'))
  })

  it("do not open with another key, on another device's row, or when damaged", () => {
    const sealed = box.seal(newDeviceSecret(), 'HH-01')
    expect(() => createSecretBox(Buffer.alloc(32, 7)).unseal(sealed, 'HH-01')).toThrow(SealError)
    expect(() => box.unseal(sealed, 'HH-02')).toThrow(SealError)
    const damaged = Buffer.from(sealed, 'base64')
    damaged[damaged.length - 1]! ^= 1
    expect(() => box.unseal(damaged.toString('base64'), 'HH-01')).toThrow(SealError)
    expect(() => box.unseal('', 'HH-01')).toThrow(SealError)
  })

  it('are made from 32 random bytes', () => {
    const secret = newDeviceSecret()
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32)
    expect(newDeviceSecret()).not.toBe(secret)
  })
})
