import type { ScanEvent } from '@wh/shared'
import { ScannerClient, type ScanInput } from '@wh/devices/browser'
import { brokerUrl } from './broker-url.ts'
import { onDeviceRefused } from './device-api.ts'
import { openHandheldDb } from './handheld-db.ts'
import { initialLinkState, linkReducer, outcomeOf, OUTCOMES_KEPT, type LinkAction, type LinkState, type Outcome } from './link-state.ts'
import { IdbOutbox } from './idb-outbox.ts'
import type { DeviceSetup } from './setup.ts'

export type { LinkState, Outcome } from './link-state.ts'

export interface Link {
  /** Records the scan; resolves once it is stored on the handheld (sent when connected). */
  scan(input: ScanInput): Promise<ScanEvent>
  /** Calls `fn` now and on every change; returns the unsubscribe. */
  subscribe(fn: (state: LinkState) => void): () => void
  stop(): Promise<void>
}

/** Why a scan was not taken: this tab does not hold the link. */
export class LinkError extends Error {
  override name = 'LinkError'
}

// One link per device across the app's tabs: two would share a client id (the broker drops one)
// and an outbox (deviceSeq given twice).
const LOCK = 'wh-handheld-link'

/**
 * The handheld's link to the hub: a ScannerClient on the IndexedDB outbox, over MQTT on
 * WebSockets, held by one tab at a time; outcomes are kept in IndexedDB so a reload shows them.
 */
export function startLink(setup: DeviceSetup): Link {
  let state = initialLinkState
  const subscribers = new Set<(s: LinkState) => void>()
  const dispatch = (action: LinkAction) => {
    state = linkReducer(state, action)
    subscribers.forEach((fn) => fn(state))
  }
  let started!: { resolve: (c: ScannerClient) => void; reject: (e: Error) => void }
  // Scans made while the link starts (a scanner fires as the page loads) wait for it.
  const ready = new Promise<ScannerClient>((resolve, reject) => (started = { resolve, reject }))
  ready.catch(() => undefined)
  let running: Promise<void> | undefined
  let release!: () => void
  const released = new Promise<void>((resolve) => (release = resolve))
  const abort = new AbortController()

  void loadOutcomes(setup.deviceId).then((outcomes) => dispatch({ type: 'loaded', outcomes }))
  // A read refused under this very secret: shown as a refused scan would be.
  const unhear = onDeviceRefused((problem, signedWith) => {
    if (signedWith.deviceId === setup.deviceId && signedWith.secret === setup.secret)
      dispatch({ type: 'refused', ack: { eventId: null, status: 'rejected', code: problem.code, message: problem.detail } })
  })

  const run = () =>
    (running = (async () => {
      dispatch({ type: 'otherTab', otherTab: false })
      let client: ScannerClient
      try {
        client = await startClient(setup, dispatch)
      } catch (err) {
        // IndexedDB refused (private mode, no space): nothing could be kept, so nothing is scanned.
        started.reject(new LinkError(`scans cannot be stored on this handheld: ${(err as Error).message}`))
        return dispatch({ type: 'connection', connection: 'offline' })
      }
      started.resolve(client)
      await released
      await client.stop()
    })())
  if (!navigator.locks)
    void run() // no Web Locks (an old browser): one tab is the user's to keep
  else
    void navigator.locks.request(LOCK, { ifAvailable: true }, async (lock) => {
      if (lock) return run()
      dispatch({ type: 'otherTab', otherTab: true })
      dispatch({ type: 'connection', connection: 'offline' })
      // Queued: this tab takes over when the other closes.
      await navigator.locks.request(LOCK, { signal: abort.signal }, run).catch(() => undefined)
    })

  return {
    async scan(input) {
      if (state.otherTab) throw new LinkError('the handheld is open in another tab; scan there')
      const event = await (await ready).scan(input)
      dispatch({ type: 'outcome', outcome: await keepOutcome(setup.deviceId, outcomeOf(event, undefined, Date.now())) })
      return event
    },
    subscribe(fn) {
      subscribers.add(fn)
      fn(state)
      return () => void subscribers.delete(fn)
    },
    async stop() {
      unhear()
      abort.abort()
      started.reject(new LinkError('the link was stopped'))
      release()
      subscribers.clear()
      // Done once the broker said goodbye and the lock is free for the next link.
      await running
    },
  }
}

async function startClient(setup: DeviceSetup, dispatch: (action: LinkAction) => void): Promise<ScannerClient> {
  const store = await IdbOutbox.open(setup.deviceId)
  const client = await ScannerClient.start({
    deviceId: setup.deviceId,
    site: setup.site,
    secret: setup.secret,
    brokerUrl: brokerUrl(setup, location),
    topicRoot: setup.topicRoot,
    store,
    ...(setup.brokerPassword ? { mqtt: { username: setup.deviceId, password: setup.brokerPassword } } : {}),
  })
  dispatch({ type: 'pending', pending: store.size })
  client.on('pending', (pending) => dispatch({ type: 'pending', pending }))
  client.on('connection', (connection) => dispatch({ type: 'connection', connection }))
  client.on('refused', (ack) => dispatch({ type: 'refused', ack }))
  client.on('outcome', ({ event, ack }) => {
    void keepOutcome(setup.deviceId, outcomeOf(event, ack, Date.now())).then((outcome) => dispatch({ type: 'outcome', outcome }))
  })
  // Reconnects are the client's own business; the connection state shows them.
  client.on('error', () => undefined)
  return client
}

/** This device's last outcomes as kept in IndexedDB. */
async function loadOutcomes(deviceId: string): Promise<Outcome[]> {
  const all = await (await openHandheldDb()).getAllFromIndex('outcomes', 'byTime')
  return all.filter((o) => o.deviceId === deviceId).map(({ deviceId: _d, ...o }) => o)
}

/** Stores the outcome and forgets all but the newest OUTCOMES_KEPT; returns the outcome. */
async function keepOutcome(deviceId: string, outcome: Outcome): Promise<Outcome> {
  const tx = (await openHandheldDb()).transaction('outcomes', 'readwrite')
  const known = await tx.store.get(outcome.eventId)
  // A fast ack may be kept before its scan's `queued`: never overwrite an answer with `queued`.
  if (outcome.status !== 'queued' || !known || known.status === 'queued') await tx.store.put({ ...outcome, deviceId })
  let skip = OUTCOMES_KEPT
  for (let cursor = await tx.store.index('byTime').openCursor(null, 'prev'); cursor; cursor = await cursor.continue())
    if (skip-- <= 0) await cursor.delete()
  await tx.done
  return outcome
}
