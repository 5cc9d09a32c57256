import type { Config } from '../config.ts'

/** Where the bridge connects: host and port of the broker's MQTT (or MQTT over TLS) listener. */
export interface BrokerTarget {
  host: string
  port: number
  tls: boolean
  /** For logs: the address without any login. */
  url: string
}

const DEFAULT_PORTS = { 'mqtt:': 1883, 'mqtts:': 8883 } as const

/**
 * The broker the bridge pipes to: MQTT_BRIDGE_TARGET, else MQTT_URL when it is mqtt:// or
 * mqtts://. Only host and port are taken: each device logs in itself, never with the hub's login.
 * A ws:// or wss:// MQTT_URL names no TCP listener, so the bridge is off (`off` says why).
 */
export function bridgeTarget(config: Pick<Config, 'MQTT_BRIDGE_TARGET' | 'MQTT_URL'>): BrokerTarget | { off: string } {
  const url = new URL(config.MQTT_BRIDGE_TARGET ?? config.MQTT_URL)
  if (url.protocol !== 'mqtt:' && url.protocol !== 'mqtts:') {
    return {
      off: `MQTT_URL is ${url.protocol}//, which the bridge cannot pipe bytes to; set MQTT_BRIDGE_TARGET to the broker's mqtt:// address`,
    }
  }
  // A URL writes an IPv6 host in brackets; sockets take it bare.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1')
  const port = url.port ? Number(url.port) : DEFAULT_PORTS[url.protocol]
  return { host, port, tls: url.protocol === 'mqtts:', url: `${url.protocol}//${url.hostname}:${port}` }
}
