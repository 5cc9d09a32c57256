import type { ActivityMessage, DeviceStatusMessage, DeviceTile } from '@wh/shared/live/live-messages.ts'
import { ago, el } from './format.ts'

/** One tile per device: online or offline, when last seen, events settled today. */
export class DeviceTiles {
  private readonly devices = new Map<string, DeviceTile>()

  constructor(private readonly root: HTMLElement) {
    setInterval(() => this.render(), 5000)
  }

  status(message: DeviceStatusMessage) {
    for (const d of message.devices) this.devices.set(d.deviceId, d)
    this.render()
  }

  /** Activity counts as a sign of life and adds to today's events. */
  activity(message: ActivityMessage) {
    const now = new Date().toISOString()
    for (const [id, n] of Object.entries(message.byDevice)) {
      const tile = this.devices.get(id)
      if (tile) this.devices.set(id, { ...tile, lastSeenAt: now, eventsToday: tile.eventsToday + n })
    }
    this.render()
  }

  private render() {
    const tiles = [...this.devices.values()].map((d) => {
      const tile = el('div', '', `tile ${d.status}`)
      tile.dataset.device = d.deviceId
      tile.dataset.status = d.status
      tile.append(
        el('strong', d.deviceId),
        el('span', `${d.status} · ${d.kind}`, 'muted'),
        el('span', `seen ${ago(d.lastSeenAt)}`),
        el('span', `${d.eventsToday} today`, 'today'),
      )
      return tile
    })
    this.root.replaceChildren(...tiles)
  }
}
