import type { ActivityMessage, DeviceStatusMessage, DeviceTile } from '@wh/shared/live/live-messages.ts'
import { ago, el } from './format.ts'

interface Tile {
  data: DeviceTile
  root: HTMLElement
  status: HTMLElement
  seen: HTMLElement
  today: HTMLElement
}

/** One tile per device: online or offline, when last seen, events settled today. Updated in place. */
export class DeviceTiles {
  private readonly tiles = new Map<string, Tile>()

  constructor(private readonly root: HTMLElement) {
    setInterval(() => this.tiles.forEach((t) => this.draw(t)), 5000)
  }

  /** Another site is shown: its devices come with its first status message. */
  clear() {
    this.tiles.clear()
    this.root.replaceChildren()
  }

  status(message: DeviceStatusMessage) {
    for (const d of message.devices) this.put(d)
  }

  /** Activity counts as a sign of life and adds to today's events. */
  activity(message: ActivityMessage) {
    const now = new Date().toISOString()
    for (const [id, n] of Object.entries(message.byDevice)) {
      const tile = this.tiles.get(id)
      if (tile) this.put({ ...tile.data, lastSeenAt: now, eventsToday: tile.data.eventsToday + n })
    }
  }

  private put(data: DeviceTile) {
    let tile = this.tiles.get(data.deviceId)
    if (!tile) {
      const root = el('div', '', 'tile')
      root.dataset.device = data.deviceId
      tile = { data, root, status: el('span', '', 'muted'), seen: el('span', ''), today: el('span', '', 'today') }
      root.append(el('strong', data.deviceId), tile.status, tile.seen, tile.today)
      this.tiles.set(data.deviceId, tile)
      this.root.append(root)
    }
    tile.data = data
    this.draw(tile)
  }

  private draw({ data, root, status, seen, today }: Tile) {
    root.className = `tile ${data.status}`
    root.dataset.status = data.status
    status.textContent = `${data.status} · ${data.kind}`
    seen.textContent = `seen ${ago(data.lastSeenAt)}`
    today.textContent = `${data.eventsToday} today`
  }
}
