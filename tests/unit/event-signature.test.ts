import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { ScanEvent } from '@wh/shared'
import { canonicalEvent, canonicalJson, signEvent, verifyEventSignature, withSignature } from '@wh/shared/signing'
import { payloadHash } from '../../hub/src/acks/payload-hash.ts'

const event: ScanEvent = {
  eventId: '0190f5a2-7c1e-7b3a-9f00-1234567890ab',
  deviceId: 'HH-01',
  deviceSeq: 7,
  type: 'receive',
  barcode: '(01)09506000134352(37)12',
  location: 'DOCK-1',
  qty: 12,
  reason: 'ünïcode ✓',
}
const SECRET = 'k3y-of-HH-01'

describe('canonical form', () => {
  it('sorts keys at every level, leaves out undefined members and has no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 0, y: null }], c: 'x' }, u: undefined })).toBe(
      '{"a":{"c":"x","d":[1,{"y":null,"z":0}]},"b":1}',
    )
  })

  it('is the flat form the hub always hashed events in, so stored payload hashes stay valid', () => {
    const { signature: _s, ...rest } = withSignature(event, SECRET)
    expect(canonicalEvent(withSignature(event, SECRET))).toBe(JSON.stringify(rest, Object.keys(rest).sort()))
    expect(payloadHash(withSignature(event, SECRET))).toBe(payloadHash(event))
  })

  it('does not depend on member order or on the signature', () => {
    const reordered = Object.fromEntries(Object.entries(event).reverse())
    expect(canonicalEvent(reordered)).toBe(canonicalEvent(event))
    expect(canonicalEvent({ ...event, signature: 'f'.repeat(64) })).toBe(canonicalEvent(event))
  })
})

describe('event signatures', () => {
  it('are HMAC-SHA256 of the versioned canonical form, as 64 hex digits', () => {
    const expected = createHmac('sha256', SECRET)
      .update(`wh-scan-event/v1\n${canonicalEvent(event)}`)
      .digest('hex')
    expect(signEvent(event, SECRET)).toBe(expected)
    expect(signEvent(event, SECRET)).toMatch(/^[0-9a-f]{64}$/)
  })

  it('verify for the secret that signed, after a JSON round trip and in any member order', () => {
    const sent = JSON.parse(JSON.stringify(withSignature(event, SECRET))) as object
    expect(verifyEventSignature(sent, SECRET)).toBe(true)
    expect(verifyEventSignature(Object.fromEntries(Object.entries(sent).reverse()), SECRET)).toBe(true)
  })

  it('fail for another secret, a changed field, a new eventId (a replay), or no signature', () => {
    const signed = withSignature(event, SECRET)
    expect(verifyEventSignature(signed, 'another secret')).toBe(false)
    expect(verifyEventSignature({ ...signed, qty: 13 }, SECRET)).toBe(false)
    expect(verifyEventSignature({ ...signed, eventId: '0190f5a2-7c1e-7b3a-9f00-1234567890ac' }, SECRET)).toBe(false)
    expect(verifyEventSignature({ ...signed, extra: 1 }, SECRET)).toBe(false)
    expect(verifyEventSignature(event, SECRET)).toBe(false)
  })

  it('refuse malformed signatures without throwing', () => {
    for (const signature of ['', 'abc', 'F'.repeat(64), 'g'.repeat(64), 12, null, ['a']]) {
      expect(verifyEventSignature({ ...event, signature }, SECRET)).toBe(false)
    }
  })
})
