import { describe, expect, it } from 'vitest'
import { brokerUrl } from '../../handheld/src/link/broker-url.ts'

const page = (href: string) => new URL(href)

describe("the handheld's broker address", () => {
  it("is the setup's own WebSocket broker when it has one", () => {
    expect(brokerUrl({ mqtt: 'ws://broker.floor:9001' }, page('http://hub.floor:3000/handheld/'))).toBe('ws://broker.floor:9001')
    expect(brokerUrl({ mqtt: 'wss://broker.floor/mqtt' }, page('https://hub.floor/handheld/'))).toBe('wss://broker.floor/mqtt')
    expect(brokerUrl({ mqtt: 'WSS://broker.floor' }, page('http://localhost:3000/'))).toBe('WSS://broker.floor')
  })

  it("is the hub's same-origin bridge for a TCP broker, on the page's host and port", () => {
    expect(brokerUrl({ mqtt: 'mqtt://10.0.0.5:1883' }, page('http://hub.floor:3000/handheld/'))).toBe('ws://hub.floor:3000/mqtt')
    expect(brokerUrl({ mqtt: 'mqtts://10.0.0.5:8883' }, page('https://hub.floor/handheld/'))).toBe('wss://hub.floor/mqtt')
  })

  it('takes the bridge on an https page whose setup names a plain ws:// broker (mixed content is blocked)', () => {
    expect(brokerUrl({ mqtt: 'ws://broker.floor:9001' }, page('https://hub.floor:8443/handheld/'))).toBe('wss://hub.floor:8443/mqtt')
  })
})
