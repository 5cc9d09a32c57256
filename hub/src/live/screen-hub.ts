import { setTimeout as sleep } from 'node:timers/promises'
import type { WebSocket } from 'ws'
import { LiveCloseCodes, SubscribeSchema, type ServerMessage, type Subscribe } from '@wh/shared/live'
import { createValidator } from '@wh/shared'
import type { Log } from '../log.ts'
import type { DeltaReader } from './delta-reader.ts'
import type { Delta } from './live-cache.ts'
import type { SnapshotSource } from './snapshot-source.ts'
import { deltasMessage } from './delta-message.ts'

const OPEN = 1
const checkSubscribe = createValidator(SubscribeSchema)

interface Screen {
  socket: WebSocket
  skus: Set<string> | undefined
  /** The screen has been told of every delta up to here (sent it, or it does not watch it). */
  sentSeq: number
  /** Every delta up to here has been offered to this screen; ahead of sentSeq while none it watches changed. */
  seenSeq: number
  /** Reads that arrived while a subscribe was being answered; null once subscribed. */
  held: Delta[][] | null
  subscribed: boolean
  alive: boolean
  /** Subscribes are answered one at a time, in order. */
  queue: Promise<void>
  /** The size of its snapshot, which it may still be reading on top of the usual limit. */
  allowance: number
}

export interface ScreenHubDeps {
  reader: Pick<DeltaReader, 'lastSeq' | 'range'>
  snapshots: SnapshotSource
  log: Log
  /** A screen with more than this waiting in its socket (besides its snapshot) is dropped. */
  maxBufferedBytes: number
  /** Unsent bytes across all screens past which new reads wait (see `ready`). */
  fanoutBufferBytes: number
}

/**
 * This instance's floor screens: answers subscribes (a snapshot, or the deltas missed since
 * `since`), fans every read of the delta stream out to them, and drops a screen that stops
 * reading rather than buffering for it without bound.
 */
export function createScreenHub(deps: ScreenHubDeps) {
  const { reader, log } = deps
  const screens = new Set<Screen>()

  function drop(screen: Screen, why: string) {
    if (!screens.delete(screen)) return
    log.warn({ why, buffered: screen.socket.bufferedAmount }, 'floor screen dropped')
    screen.socket.close(LiveCloseCodes.slowConsumer, why)
    // A screen that never reads never completes the close handshake either.
    setTimeout(() => screen.socket.terminate(), 1000).unref()
  }

  /** Text messages; one encoded Buffer may go to many screens without a copy per screen. */
  function send(screen: Screen, text: string | Buffer): boolean {
    if (screen.socket.readyState !== OPEN) return false
    if (screen.socket.bufferedAmount > deps.maxBufferedBytes + screen.allowance) {
      drop(screen, 'slow consumer')
      return false
    }
    screen.socket.send(text, { binary: false })
    return true
  }

  const unsent = () => {
    let bytes = 0
    for (const screen of screens) bytes += screen.socket.bufferedAmount
    return bytes
  }

  const sendMessage = (screen: Screen, message: ServerMessage) => send(screen, JSON.stringify(message))

  const settle = (screen: Screen, seq: number) => {
    screen.sentSeq = seq
    screen.seenSeq = seq
  }

  /** Offers a read's deltas; `shared` is the message every unfiltered, up-to-date screen gets. */
  function offer(screen: Screen, deltas: Delta[], shared?: () => Buffer) {
    const start = deltas.findIndex((d) => d.seq > screen.seenSeq)
    if (start < 0) return
    const fresh = start === 0 ? deltas : deltas.slice(start)
    const last = fresh.at(-1)!.seq
    // A seq missing from the stream itself is passed on as a gap, so the screen starts over.
    const contiguous = fresh[0]!.seq === screen.seenSeq + 1
    if (shared && contiguous && !screen.skus && fresh === deltas && screen.sentSeq === screen.seenSeq) {
      if (send(screen, shared())) settle(screen, last)
      return
    }
    const text = deltasMessage(fresh, contiguous ? screen.sentSeq + 1 : fresh[0]!.seq, screen.skus, !contiguous)
    if (text === undefined) screen.seenSeq = last
    else if (send(screen, text)) settle(screen, last)
  }

  async function subscribe(screen: Screen, request: Subscribe) {
    screen.held = []
    screen.skus = request.skus ? new Set(request.skus) : undefined
    const upto = reader.lastSeq
    const missed = request.since === undefined ? undefined : await reader.range(request.since, upto)
    let mode: 'snapshot' | 'resume' = 'resume'
    if (missed) {
      settle(screen, request.since!)
      offer(screen, missed)
    } else {
      mode = 'snapshot'
      // A shared snapshot is followed by the deltas after it; if the stream cannot supply them
      // (one was lost), a snapshot taken now needs none.
      let snapshot = await deps.snapshots.get(request.skus)
      let after = await reader.range(snapshot.seq, Math.max(upto, snapshot.seq))
      if (!after) {
        snapshot = await deps.snapshots.get(request.skus, { fresh: true })
        after = await reader.range(snapshot.seq, Math.max(upto, snapshot.seq))
        if (!after) throw new Error('delta stream trimmed during a snapshot')
      }
      screen.allowance = snapshot.body.length
      send(screen, snapshot.body)
      settle(screen, snapshot.seq)
      offer(screen, after)
    }
    const held = screen.held
    screen.held = null
    for (const deltas of held) offer(screen, deltas)
    screen.subscribed = true
    sendMessage(screen, { type: 'subscribed', seq: screen.sentSeq, mode })
    const feed = await deps.snapshots.feed().catch((err: Error) => {
      log.warn({ err: err.message }, 'floor state unavailable for a new screen')
      return []
    })
    for (const body of feed) send(screen, body)
  }

  function receive(screen: Screen, data: unknown) {
    let body: unknown
    try {
      body = JSON.parse(String(data))
    } catch {
      return sendMessage(screen, { type: 'error', code: 'MALFORMED_JSON', message: 'messages must be JSON' })
    }
    const checked = checkSubscribe(body)
    if (!checked.ok) return sendMessage(screen, { type: 'error', code: 'INVALID_MESSAGE', message: checked.error })
    screen.queue = screen.queue
      .then(() => subscribe(screen, checked.value))
      .catch((err: Error) => {
        log.warn({ err: err.message }, 'subscribe failed; the screen retries')
        screen.held = null
        screen.socket.close(1011, 'subscribe failed')
      })
  }

  return {
    attach(socket: WebSocket) {
      const screen: Screen = {
        socket,
        skus: undefined,
        sentSeq: 0,
        seenSeq: 0,
        held: null,
        subscribed: false,
        alive: true,
        queue: Promise.resolve(),
        allowance: 0,
      }
      screens.add(screen)
      socket.on('message', (data) => receive(screen, data))
      socket.on('pong', () => (screen.alive = true))
      socket.on('close', () => screens.delete(screen))
      socket.on('error', (err) => log.debug({ err: err.message }, 'floor screen socket error'))
    },
    /** A read of the delta stream, in seq order. */
    deltas(deltas: Delta[]) {
      let body: Buffer | undefined
      const shared = () => (body ??= Buffer.from(deltasMessage(deltas, deltas[0]!.seq, undefined)!))
      for (const screen of screens) {
        if (screen.held) screen.held.push(deltas)
        else if (screen.subscribed) offer(screen, deltas, shared)
      }
    },
    /** A feed message (already JSON) for every subscribed screen. */
    feed(text: string) {
      const body = Buffer.from(text)
      for (const screen of screens) if (screen.subscribed) send(screen, body)
    },
    /** The stream restarted: every screen takes a fresh snapshot. */
    resnapshot() {
      deps.snapshots.forget()
      for (const screen of screens)
        if (screen.subscribed) receive(screen, JSON.stringify({ type: 'subscribe', skus: screen.skus && [...screen.skus] }))
    },
    /** Pings each screen (one that missed the last ping is gone) and tells it how far it is. */
    heartbeat() {
      const at = new Date().toISOString()
      for (const screen of screens) {
        if (!screen.alive) {
          screens.delete(screen)
          screen.socket.terminate()
          continue
        }
        screen.alive = false
        screen.socket.ping()
        if (!screen.subscribed || screen.held) continue
        settle(screen, Math.max(screen.seenSeq, reader.lastSeq))
        sendMessage(screen, { type: 'heartbeat', seq: screen.sentSeq, at })
      }
    },
    /**
     * Resolves when the next read may go out: after `gapMs`, and once the screens' unsent bytes are
     * under the fan-out buffer, or after a second (a screen that never drains is then dropped by
     * the next send, not waited for).
     */
    async ready(gapMs: number) {
      if (gapMs >= 1) await sleep(gapMs)
      const deadline = Date.now() + 1000
      while (unsent() > deps.fanoutBufferBytes && Date.now() < deadline) await sleep(5)
    },
    get size() {
      return screens.size
    },
    close() {
      for (const screen of screens) screen.socket.close(LiveCloseCodes.goingAway, 'hub shutting down')
      screens.clear()
    },
  }
}

export type ScreenHub = ReturnType<typeof createScreenHub>
