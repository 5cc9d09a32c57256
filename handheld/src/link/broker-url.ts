import type { DeviceSetup } from './setup.ts'

/**
 * Where the browser reaches the broker. A browser speaks MQTT only over WebSockets: the setup's
 * broker when it offers them (compose's Mosquitto does), else the hub's same-origin bridge at
 * `/mqtt` (Debian's Mosquitto has no WebSocket listener). An https page may not open a plain ws://
 * socket (mixed content), so it takes the bridge then too.
 */
export function brokerUrl(setup: Pick<DeviceSetup, 'mqtt'>, location: Pick<Location, 'protocol' | 'host'>): string {
  const secure = location.protocol === 'https:'
  const url = setup.mqtt.toLowerCase()
  if (url.startsWith('wss://') || (url.startsWith('ws://') && !secure)) return setup.mqtt
  return `${secure ? 'wss' : 'ws'}://${location.host}/mqtt`
}
