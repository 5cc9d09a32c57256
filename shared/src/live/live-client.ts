import type { FeedMessage, InventoryMessage, ServerMessage, Subscribe } from './live-messages.ts'
import { LiveView, type ViewChange } from './live-view.ts'
import { LiveCloseCodes } from './live-close-codes.ts'

// Method-derived, so a handler taking the browser's richer event types still fits (bivariance).
type Handler<E> = { bivariant(event: E): void }['bivariant']

/** The part of a WebSocket (the browser's or the `ws` package's) the client uses. */
export interface LiveSocket {
  readonly readyState: number
  send(data: string): void
  close(code?: number, reason?: string): void
  onopen: Handler<unknown> | null
  onmessage: Handler<{ data: unknown }> | null
  onclose: Handler<{ code: number; reason?: string }> | null
  onerror: Handler<unknown> | null
}

/** `connecting` until the first snapshot, `live` while in step, `reconnecting` after a drop, `offline` once retries have gone on a while. */
export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'offline'

/** The subprotocol of the floor-screen socket; the hub answers with it. */
export const LIVE_PROTOCOL = 'wh.live'
/** Prefix of the subprotocol that carries the API key (a browser cannot set headers on a socket). */
export const KEY_PROTOCOL_PREFIX = 'bearer.'

/** The subprotocols to open the socket with: `wh.live`, and the key when there is one. */
export const liveProtocols = (apiKey?: string): string[] => (apiKey ? [LIVE_PROTOCOL, `${KEY_PROTOCOL_PREFIX}${apiKey}`] : [LIVE_PROTOCOL])

export interface LiveClientOptions {
  url: string
  /** Opens a socket with these subprotocols (`new WebSocket(url, protocols)`). */
  open: (url: string, protocols: string[]) => LiveSocket
  /** A `viewer` (or higher) API key, sent as a subprotocol. */
  apiKey?: string
  /**
   * The hub closed the socket because the key is no longer valid (4401). The client stops; a
   * refused upgrade cannot be told from a network error in a browser, so ask the API (GET
   * /api/keys/self) after repeated failures.
   */
  onUnauthorized?: () => void
  /**
   * The hub refused the socket's site (4400: none or unknown; 4403: the key is limited to other
   * sites). The client stops: the address or the key has to change.
   */
  onSiteRefused?: (code: number, reason: string) => void
  skus?: string[]
  onInventory?: (change: ViewChange, message: InventoryMessage) => void
  onFeed?: (message: FeedMessage) => void
  onState?: (state: LiveState) => void
  /** @defaultValue 250 */
  initialBackoffMs?: number
  /** @defaultValue 10000 */
  maxBackoffMs?: number
  /** Failed attempts in a row before the state says `offline`. @defaultValue 5 */
  offlineAfter?: number
  /** A link silent this long (the hub sends heartbeats) is treated as dead. @defaultValue 15000 */
  silenceMs?: number
}

const OPEN = 1

/**
 * Keeps a floor screen subscribed: snapshot on connect, deltas after, a resubscribe with `since`
 * on a seq gap, and reconnects with exponential backoff (with jitter) that resume from the last
 * seq applied, so a drop costs only the missed deltas.
 */
export class LiveClient {
  readonly view = new LiveView()
  state: LiveState = 'connecting'
  private socket: LiveSocket | undefined
  private failures = 0
  private stopped = false
  private retry: ReturnType<typeof setTimeout> | undefined
  private watchdog: ReturnType<typeof setTimeout> | undefined
  /** How many times a seq gap made this client resubscribe. */
  resubscribes = 0

  private apiKey: string | undefined
  private url: string

  constructor(private readonly options: LiveClientOptions) {
    this.apiKey = options.apiKey
    this.url = options.url
  }

  /**
   * Follows another address from now on (another site's `/live?site=`): the view is cleared, as
   * seqs of one site's stream mean nothing in another's, and the next connection starts afresh.
   */
  switchTo(url: string) {
    this.stop()
    this.url = url
    this.view.clear()
    this.failures = 0
    this.setState('connecting')
    this.start()
  }

  /** The key for the next connection (after a refusal, say); the view and its seq are kept. */
  setApiKey(apiKey: string) {
    this.apiKey = apiKey
  }

  start() {
    this.stopped = false
    this.connect()
  }

  stop() {
    this.stopped = true
    clearTimeout(this.retry)
    clearTimeout(this.watchdog)
    this.socket?.close(1000, 'client stopped')
    this.socket = undefined
  }

  private setState(state: LiveState) {
    if (state === this.state) return
    this.state = state
    this.options.onState?.(state)
  }

  private subscribe() {
    const message: Subscribe = { type: 'subscribe' }
    if (this.view.seq >= 0) message.since = this.view.seq
    if (this.options.skus) message.skus = this.options.skus
    this.socket?.send(JSON.stringify(message))
  }

  private connect() {
    const socket = this.options.open(this.url, liveProtocols(this.apiKey))
    this.socket = socket
    socket.onopen = () => {
      this.subscribe()
      this.armWatchdog()
    }
    socket.onmessage = (event) => {
      this.armWatchdog()
      this.receive(JSON.parse(String(event.data)) as ServerMessage)
    }
    socket.onerror = () => undefined // a close event follows; reconnecting is handled there
    socket.onclose = (event) => {
      if (socket !== this.socket) return
      clearTimeout(this.watchdog)
      this.socket = undefined
      if (this.stopped) return
      if (event.code === LiveCloseCodes.unauthorized) {
        this.stopped = true
        this.setState('offline')
        this.options.onUnauthorized?.()
        return
      }
      if (event.code === LiveCloseCodes.forbiddenSite || event.code === LiveCloseCodes.unknownSite) {
        this.stopped = true
        this.setState('offline')
        this.options.onSiteRefused?.(event.code, event.reason ?? '')
        return
      }
      this.failures++
      this.setState(this.failures >= (this.options.offlineAfter ?? 5) ? 'offline' : 'reconnecting')
      this.retry = setTimeout(() => this.connect(), this.backoff())
    }
  }

  private backoff() {
    const base = Math.min((this.options.initialBackoffMs ?? 250) * 2 ** (this.failures - 1), this.options.maxBackoffMs ?? 10_000)
    return base / 2 + Math.random() * (base / 2)
  }

  private armWatchdog() {
    clearTimeout(this.watchdog)
    this.watchdog = setTimeout(() => this.socket?.close(4000, 'silent link'), this.options.silenceMs ?? 15_000)
  }

  private receive(message: ServerMessage) {
    switch (message.type) {
      case 'inventory_snapshot':
      case 'inventory_update':
      case 'inventory_batch_update': {
        const change = this.view.apply(message)
        if (change.kind === 'gap') {
          this.resubscribes++
          if (this.socket?.readyState === OPEN) this.subscribe()
          return
        }
        this.options.onInventory?.(change, message)
        return
      }
      case 'subscribed':
        this.view.advance(message.seq)
        this.failures = 0
        this.setState('live')
        return
      case 'heartbeat':
        this.view.advance(message.seq)
        return
      case 'error':
        return
      default:
        this.options.onFeed?.(message)
    }
  }
}
