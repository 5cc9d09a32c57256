import { describe, expect, it } from 'vitest'
import {
  canonicalEvent,
  deviceRequestText,
  parseDeviceAuthorization,
  signDeviceRequest,
  signEvent,
  verifyDeviceRequest,
  verifyEventSignature,
} from '@wh/shared/signing'
import { createEventSigner, deviceAuthorization, signEventWeb } from '@wh/shared/signing/web'
import signingVectors from '../fixtures/signing-vectors.json' with { type: 'json' }

describe.each(signingVectors.events)('event vector: $name', (v) => {
  it('has the canonical text both signers hash', () => {
    expect(canonicalEvent(v.event)).toBe(v.canonical)
  })

  it('is what the Node signer gives, and the hub verifies it', () => {
    expect(signEvent(v.event, v.secret)).toBe(v.signature)
    expect(verifyEventSignature({ ...v.event, signature: signEvent(v.event, v.secret) }, v.secret)).toBe(true)
  })

  it('is what the web signer gives, and the hub verifies that too', async () => {
    const web = await signEventWeb(v.event, v.secret)
    expect(web).toBe(v.signature)
    expect(await createEventSigner(v.secret)(v.event)).toBe(v.signature)
    // As the hub receives it: the JSON a browser published, parsed back.
    const sent = JSON.parse(JSON.stringify({ ...v.event, signature: web })) as object
    expect(verifyEventSignature(sent, v.secret)).toBe(true)
    expect(verifyEventSignature(sent, `${v.secret}x`)).toBe(false)
    expect(verifyEventSignature({ ...sent, deviceSeq: v.event.deviceSeq + 1 }, v.secret)).toBe(false)
  })
})

describe.each(signingVectors.deviceRequests)('device request vector: $name', (v) => {
  it('has the request text and Node signature', () => {
    expect(deviceRequestText(v.deviceId, v.at, v.method, v.pathAndQuery)).toBe(v.text)
    expect(signDeviceRequest(v.text, v.secret)).toBe(v.signature)
  })

  it('is the header the web signer builds, which the hub parses and verifies', async () => {
    const header = await deviceAuthorization(v.deviceId, v.secret, v.method, v.pathAndQuery, v.at)
    expect(header).toBe(v.authorization)
    const parsed = parseDeviceAuthorization(header)
    expect(parsed).toEqual({ deviceId: v.deviceId, at: v.at, signature: v.signature })
    const text = deviceRequestText(parsed!.deviceId, parsed!.at, v.method, v.pathAndQuery)
    expect(verifyDeviceRequest(text, parsed!.signature, v.secret)).toBe(true)
    expect(verifyDeviceRequest(deviceRequestText(v.deviceId, v.at + 1, v.method, v.pathAndQuery), v.signature, v.secret)).toBe(false)
    expect(verifyDeviceRequest(text, v.signature, `${v.secret}x`)).toBe(false)
  })
})

describe('device request signatures', () => {
  it('parse only well-formed WH-Device values, the scheme in any case', () => {
    const sig = 'a'.repeat(64)
    expect(parseDeviceAuthorization(`wh-device HH-01:1:${sig}`)).toEqual({ deviceId: 'HH-01', at: 1, signature: sig })
    for (const value of [
      `Bearer HH-01:1:${sig}`,
      `WH-Device HH-01:1:${'A'.repeat(64)}`,
      `WH-Device HH-01:-1:${sig}`,
      `WH-Device HH-01:1.5:${sig}`,
      `WH-Device HH:01:1:${sig}`,
      `WH-Device HH-01:1:${sig}0`,
      `WH-Device :1:${sig}`,
      'WH-Device',
      '',
    ])
      expect(parseDeviceAuthorization(value), value).toBeNull()
  })

  it('refuse malformed claimed signatures without throwing', () => {
    for (const claimed of ['', 'abc', 'F'.repeat(64), 'g'.repeat(64)]) expect(verifyDeviceRequest('x', claimed, 'secret')).toBe(false)
  })
})
