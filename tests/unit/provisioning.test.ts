import { describe, expect, it } from 'vitest'
import { parseProvisioning, PAIRING_CODE_ALPHABET } from '@wh/shared'
import { loadConfig } from '../../hub/src/config.ts'
import { provisioningFor, publicAddresses } from '../../hub/src/devices/provisioning.ts'
import { newDeviceSecret } from '../../hub/src/devices/secret-box.ts'
import { newPairingCode, normalizeCode } from '../../hub/src/screens/pairing-codes.ts'

const device = { id: 'HH-07', site: 'dc1' } as Parameters<typeof provisioningFor>[0]['device']

describe('the device provisioning code', () => {
  it('holds the public addresses, the topic root, the device and its secret, and parses back', () => {
    const secret = newDeviceSecret()
    const config = loadConfig(
      {},
      { PUBLIC_URL: 'https://hub.example.com/', PUBLIC_MQTT_URL: 'mqtts://broker.example.com:8883', MQTT_TOPIC_ROOT: 'acme/wh' },
    )
    const payload = provisioningFor({ device, secret }, publicAddresses(config, 'http://10.0.0.5:3000'))
    expect(parseProvisioning(JSON.stringify(payload))).toEqual({
      ok: true,
      value: {
        format: 'wh-device',
        v: 1,
        hub: 'https://hub.example.com',
        mqtt: 'mqtts://broker.example.com:8883',
        topicRoot: 'acme/wh',
        deviceId: 'HH-07',
        site: 'dc1',
        secret,
      },
    })
  })

  it("defaults to the address the console was reached at and the hub's broker, never its broker login", () => {
    const config = loadConfig({}, { MQTT_URL: 'mqtt://hub:hunter2@broker.lan:1883' })
    expect(publicAddresses(config, 'http://10.0.0.5:3000')).toEqual({
      hub: 'http://10.0.0.5:3000',
      mqtt: 'mqtt://broker.lan:1883',
      topicRoot: 'wh',
    })
  })

  it('refuses what is not a provisioning code of this version, saying why', () => {
    const good = provisioningFor({ device, secret: newDeviceSecret() }, { hub: 'http://h', mqtt: 'mqtt://b', topicRoot: 'wh' })
    const refusal = (text: string) => {
      const parsed = parseProvisioning(text)
      return parsed.ok ? 'accepted' : parsed.error
    }
    expect(refusal('https://example.com')).toMatch(/not JSON/)
    expect(refusal(JSON.stringify({ hello: 1 }))).toMatch(/not a device provisioning code/)
    expect(refusal(JSON.stringify({ ...good, v: 2 }))).toMatch(/version 2 is not supported/)
    expect(refusal(JSON.stringify({ ...good, deviceId: 'HH/#' }))).toMatch(/deviceId/)
    expect(refusal(JSON.stringify({ ...good, mqtt: 'http://b' }))).toMatch(/mqtt/)
    expect(refusal(JSON.stringify({ ...good, extra: true }))).toMatch(/extra/)
  })
})

describe('screen pairing codes', () => {
  it('are 8 characters without look-alikes, typed in either case with or without the dash', () => {
    const codes = Array.from({ length: 200 }, newPairingCode)
    for (const code of codes) expect(code).toMatch(new RegExp(`^[${PAIRING_CODE_ALPHABET}]{8}$`))
    expect(new Set(codes).size).toBe(codes.length)
    expect(normalizeCode('k7qm-3xrt')).toBe('K7QM3XRT')
    expect(normalizeCode('K7QM 3XRT')).toBe('K7QM3XRT')
  })
})
