import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { LiveClient, type LiveSocket, type LiveState, type ProductStock, type ServerMessage } from '@wh/shared/live'

/** A socket the test plays the hub's side of. */
class ScriptedSocket implements LiveSocket {
  readyState = 0
  sent: unknown[] = []
  onopen: ((event: unknown) => void) | null = null
  onmessage: ((event: { data: unknown }) => void) | null = null
  onclose: ((event: { code: number }) => void) | null = null
  onerror: ((event: unknown) => void) | null = null
  send(data: string) {
    this.sent.push(JSON.parse(data))
  }
  close(code = 1000) {
    this.readyState = 3
    this.onclose?.({ code })
  }
  open() {
    this.readyState = 1
    this.onopen?.({})
  }
  deliver(message: ServerMessage) {
    this.onmessage?.({ data: JSON.stringify(message) })
  }
}

const stock = (sku: string, onHand: number): ProductStock => ({
  site: 'S1',
  sku,
  onHand,
  reserved: 0,
  available: onHand,
  locations: { A: { onHand, reserved: 0, available: onHand } },
})

describe('LiveClient', () => {
  let sockets: ScriptedSocket[]
  let states: LiveState[]
  let client: LiveClient
  let urls: string[]
  let refused: number[]
  beforeEach(() => {
    urls = []
    refused = []
    vi.useFakeTimers()
    vi.spyOn(Math, 'random').mockReturnValue(1)
    sockets = []
    states = []
    client = new LiveClient({
      url: 'ws://hub/live?site=S1',
      open: (url) => {
        urls.push(url)
        const socket = new ScriptedSocket()
        sockets.push(socket)
        return socket
      },
      onState: (s) => states.push(s),
      onSiteRefused: (code) => refused.push(code),
      initialBackoffMs: 100,
      maxBackoffMs: 1000,
      offlineAfter: 3,
    })
    client.start()
    sockets[0]!.open()
    sockets[0]!.deliver({ type: 'inventory_snapshot', site: 'S1', seq: 10, products: [], data: [stock('A', 5)] })
    sockets[0]!.deliver({ type: 'subscribed', seq: 10, mode: 'snapshot' })
  })
  afterEach(() => {
    client.stop()
    vi.useRealTimers()
    vi.restoreAllMocks()
  })

  it('applies deltas in seq order and ignores ones it already has', () => {
    const socket = sockets[0]!
    socket.deliver({ type: 'inventory_update', seq: 11, at: 0, data: stock('A', 7) })
    socket.deliver({ type: 'inventory_update', seq: 11, at: 0, data: stock('A', 99) })
    socket.deliver({ type: 'inventory_batch_update', fromSeq: 12, seq: 14, at: 0, data: [stock('B', 1), stock('A', 6)] })
    expect(client.view.seq).toBe(14)
    expect(client.view.stock.get('A')?.onHand).toBe(6)
    expect(client.view.stock.get('B')?.onHand).toBe(1)
    expect(states).toEqual(['live'])
  })

  it('resubscribes from its last seq when a seq is missing, and applies nothing past the gap', () => {
    const socket = sockets[0]!
    socket.deliver({ type: 'inventory_update', seq: 12, at: 0, data: stock('A', 1) })
    expect(client.resubscribes).toBe(1)
    expect(socket.sent.at(-1)).toEqual({ type: 'subscribe', since: 10 })
    expect(client.view.stock.get('A')?.onHand).toBe(5)
  })

  it('reconnects with growing backoff, says offline after repeated failures, and resumes from its seq', () => {
    sockets[0]!.close(1006)
    expect(states.at(-1)).toBe('reconnecting')
    vi.advanceTimersByTime(100)
    sockets[1]!.close(1006)
    vi.advanceTimersByTime(199)
    expect(sockets).toHaveLength(2)
    vi.advanceTimersByTime(1)
    sockets[2]!.close(1006)
    expect(states.at(-1)).toBe('offline')
    vi.advanceTimersByTime(400)
    const socket = sockets[3]!
    socket.open()
    expect(socket.sent).toEqual([{ type: 'subscribe', since: 10 }])
    socket.deliver({ type: 'subscribed', seq: 10, mode: 'resume' })
    expect(states.at(-1)).toBe('live')
  })

  it('treats a silent link as dead and reconnects', () => {
    vi.advanceTimersByTime(15_000)
    expect(states.at(-1)).toBe('reconnecting')
    vi.advanceTimersByTime(100)
    expect(sockets).toHaveLength(2)
  })

  it('switched to another site, starts over there: a fresh subscribe, no seq of the other stream', () => {
    client.switchTo('ws://hub/live?site=S2')
    expect(client.view.seq).toBe(-1)
    expect(client.view.stock.size).toBe(0)
    expect(states.at(-1)).toBe('connecting')
    const socket = sockets.at(-1)!
    expect(urls.at(-1)).toBe('ws://hub/live?site=S2')
    socket.open()
    expect(socket.sent).toEqual([{ type: 'subscribe' }])
    socket.deliver({ type: 'inventory_snapshot', site: 'S2', seq: 3, products: [], data: [{ ...stock('A', 9), site: 'S2' }] })
    expect(client.view.site).toBe('S2')
    expect(client.view.stock.get('A')?.onHand).toBe(9)
  })

  it('stops when the hub refuses the site: retrying with the same address and key will not help', () => {
    sockets[0]!.close(4403)
    expect(refused).toEqual([4403])
    expect(states.at(-1)).toBe('offline')
    vi.advanceTimersByTime(60_000)
    expect(sockets).toHaveLength(1)
  })
})
