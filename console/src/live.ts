import { useEffect, useRef } from 'preact/hooks'
import { api } from './api.ts'

/** What changed, as the hub tells every console: the area (`held-events`, `purchase-orders`, …) and its site if it has one. */
export interface Change {
  topic: string
  site?: string
}

type Listener = (change: Change) => void
const listeners = new Set<Listener>()
let source: EventSource | undefined

/** One stream per console, opened on first use; EventSource reconnects by itself, and stops once the session is gone. */
function listen() {
  if (source && source.readyState !== EventSource.CLOSED) return
  source = new EventSource('/api/changes')
  source.onmessage = (event) => {
    const change = JSON.parse(String(event.data)) as Change
    for (const listener of listeners) listener(change)
  }
  // The hub ended the stream and refused it again: the session is gone (signed out elsewhere,
  // disabled). Asking who is signed in makes the console show the sign-in page at once.
  source.onerror = () => {
    if (source?.readyState === EventSource.CLOSED) api('GET', '/api/session').catch(() => undefined)
  }
}

/**
 * Calls `refresh` whenever someone (or a device) changes something under one of `topics` for the
 * shown site, so every page stays current without a reload.
 */
export function useChanges(topics: readonly string[], site: string | undefined, refresh: () => void) {
  const latest = useRef(refresh)
  latest.current = refresh
  useEffect(() => {
    if (topics.length === 0) return
    const listener: Listener = (change) => {
      if (!topics.includes(change.topic)) return
      if (site && change.site && change.site !== site) return
      latest.current()
    }
    listeners.add(listener)
    listen()
    return () => void listeners.delete(listener)
  }, [topics.join(','), site])
}
