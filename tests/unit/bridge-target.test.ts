import { describe, expect, it } from 'vitest'
import { bridgeTarget } from '../../hub/src/bridge/bridge-target.ts'

describe('bridgeTarget', () => {
  it("takes MQTT_URL's host and port, never its login", () => {
    expect(bridgeTarget({ MQTT_URL: 'mqtt://hub:secret@broker:1884' })).toEqual({
      host: 'broker',
      port: 1884,
      tls: false,
      url: 'mqtt://broker:1884',
    })
    expect(bridgeTarget({ MQTT_URL: 'mqtts://broker.example.com' })).toEqual({
      host: 'broker.example.com',
      port: 8883,
      tls: true,
      url: 'mqtts://broker.example.com:8883',
    })
    expect(bridgeTarget({ MQTT_URL: 'mqtt://[::1]' })).toMatchObject({ host: '::1', port: 1883 })
  })

  it('prefers MQTT_BRIDGE_TARGET, and is off (saying why) for a WebSocket MQTT_URL without one', () => {
    expect(bridgeTarget({ MQTT_URL: 'wss://broker/mqtt', MQTT_BRIDGE_TARGET: 'mqtt://broker:1883' })).toMatchObject({
      host: 'broker',
      port: 1883,
    })
    expect(bridgeTarget({ MQTT_URL: 'ws://broker:9001' })).toEqual({ off: expect.stringMatching(/MQTT_BRIDGE_TARGET/) })
  })
})
