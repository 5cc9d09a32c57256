import { useEffect, useState } from 'preact/hooks'
import type { ScanEvent } from '@wh/shared'
import type { ScanInput } from '@wh/devices/browser'
import { initialLinkState, type LinkState } from './link-state.ts'
import { LinkError, startLink, type Link } from './link.ts'
import { loadSetup, watchSetup, type DeviceSetup } from './setup.ts'

/**
 * The page's one link, shared by every screen using the hook: started from the stored setup,
 * restarted as the new device when a setup is saved (here or in another tab).
 */
let link: Link | undefined
let linkState = initialLinkState
let setupNow: DeviceSetup | null | undefined
const listeners = new Set<() => void>()
const notify = () => listeners.forEach((fn) => fn())

// Switches one at a time: the old link lets go of the broker session and the lock first.
let switching = Promise.resolve()
function switchTo(setup: DeviceSetup | undefined) {
  switching = switching.then(async () => {
    await link?.stop()
    link = undefined
    linkState = initialLinkState
    setupNow = setup ?? null
    if (setup) {
      link = startLink(setup)
      link.subscribe((s) => {
        linkState = s
        notify()
      })
    }
    notify()
  })
}

let started = false
function ensureStarted() {
  if (started) return
  started = true
  void loadSetup().then(switchTo)
  watchSetup(switchTo)
}

function useShared<T>(read: () => T): T {
  const [value, setValue] = useState(read)
  useEffect(() => {
    ensureStarted()
    const update = () => setValue(read)
    listeners.add(update)
    update()
    return () => void listeners.delete(update)
  }, [])
  return value
}

/** The link's state for the status bar and outcomes, and `scan` for the workflows. */
export function useLink(): { state: LinkState; scan: (input: ScanInput) => Promise<ScanEvent> } {
  const state = useShared(() => linkState)
  return { state, scan }
}

/** The stored setup: undefined while it loads, null when this handheld is not set up yet. */
export function useSetup(): DeviceSetup | null | undefined {
  return useShared(() => setupNow)
}

async function scan(input: ScanInput): Promise<ScanEvent> {
  if (!link) throw new LinkError('this handheld is not set up yet')
  return link.scan(input)
}
