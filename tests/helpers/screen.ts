import type { AddressInfo } from 'node:net'
import WebSocket from 'ws'
import { LiveClient, type LiveClientOptions, type ServerMessage } from '@wh/shared/live'
import type { HubApp } from '../../hub/src/app.ts'
import { eventually } from './eventually.ts'
import { SITE } from './fixtures.ts'

/** The hub's HTTP address, listening on a free loopback port first if it is not yet. */
export async function httpUrl(hub: HubApp): Promise<string> {
  if (!hub.server.listening) await hub.listen({ host: '127.0.0.1', port: 0 })
  return `http://127.0.0.1:${(hub.server.address() as AddressInfo).port}`
}

/** The hub's floor-screen address for a site (the fixture's unless named). */
export async function liveUrl(hub: HubApp, site = SITE): Promise<string> {
  return `${(await httpUrl(hub)).replace(/^http/, 'ws')}/live?site=${encodeURIComponent(site)}`
}

/**
 * A floor screen as the dashboard runs one (the same LiveClient) over a real socket, recording
 * every message it receives.
 */
export class TestScreen {
  readonly messages: ServerMessage[] = []
  readonly client: LiveClient

  private constructor(url: string, options: Partial<LiveClientOptions>) {
    this.client = new LiveClient({
      url,
      open: (u, protocols) => new WebSocket(u, protocols),
      initialBackoffMs: 100,
      maxBackoffMs: 1000,
      ...options,
      onInventory: (change, message) => {
        this.messages.push(message)
        options.onInventory?.(change, message)
      },
      onFeed: (message) => {
        this.messages.push(message)
        options.onFeed?.(message)
      },
    })
  }

  /**
   * Opens a screen of a site (the fixture's unless named) with an API key (a `viewer` one, as a
   * floor screen has), and waits for it to go live.
   */
  static async open(hub: HubApp, options: Partial<LiveClientOptions> & { apiKey: string; site?: string }): Promise<TestScreen> {
    const screen = new TestScreen(await liveUrl(hub, options.site), options)
    screen.client.start()
    await eventually('the screen to go live', () => screen.client.state === 'live', 10_000)
    return screen
  }

  get view() {
    return this.client.view
  }

  of<T extends ServerMessage['type']>(type: T): Extract<ServerMessage, { type: T }>[] {
    return this.messages.filter((m): m is Extract<ServerMessage, { type: T }> => m.type === type)
  }

  /** On hand per `sku/location`, as this screen shows it. */
  onHand(): Record<string, number> {
    const out: Record<string, number> = {}
    for (const stock of this.view.stock.values())
      for (const [loc, l] of Object.entries(stock.locations)) out[`${stock.sku}/${loc}`] = l.onHand
    return out
  }

  close() {
    this.client.stop()
  }
}
