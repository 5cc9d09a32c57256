/**
 * MQTT topic names. The root (`wh` in production) is configurable so test runs and separate
 * installations on one broker never see each other's traffic.
 */
export type TopicKind = 'events' | 'acks' | 'status' | 'sync'

export interface DeviceTopic {
  site: string
  deviceId: string
  kind: TopicKind
}

const LEVEL = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/

function level(name: string, value: string): string {
  if (!LEVEL.test(value)) throw new TypeError(`invalid ${name} for a topic level: ${JSON.stringify(value)}`)
  return value
}

export function createTopics(root = 'wh') {
  const rootLevels = root.split('/')
  rootLevels.forEach((l) => level('topic root', l))
  const device = (kind: TopicKind) => (site: string, deviceId: string) =>
    `${root}/${level('site', site)}/devices/${level('deviceId', deviceId)}/${kind}`

  return {
    root,
    events: device('events'),
    acks: device('acks'),
    status: device('status'),
    /** Hub to device: how far the hub has the device's events (a resume point), see DeviceSyncSchema. */
    sync: device('sync'),
    /** MQTT 5 shared subscription, so hub instances in one group split the load. */
    sharedSubscription: (kind: TopicKind, group = 'hub') => `$share/${level('group', group)}/${root}/+/devices/+/${kind}`,
    parse(topic: string): DeviceTopic | null {
      const parts = topic.split('/')
      const rest = parts.slice(rootLevels.length)
      if (parts.slice(0, rootLevels.length).join('/') !== root || rest.length !== 4) return null
      const [site, devices, deviceId, kind] = rest as [string, string, string, string]
      if (devices !== 'devices' || !LEVEL.test(site) || !LEVEL.test(deviceId)) return null
      if (kind !== 'events' && kind !== 'acks' && kind !== 'status' && kind !== 'sync') return null
      return { site, deviceId, kind }
    },
  }
}

export type Topics = ReturnType<typeof createTopics>
