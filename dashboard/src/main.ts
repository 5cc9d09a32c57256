import { LiveClient, type LiveState } from '@wh/shared/live/live-client.ts'
import { StockTable, type StockFilter } from './stock-table.ts'
import { DeviceTiles } from './device-tiles.ts'
import { ActivityList, HeldList, showReconciliation } from './feed-lists.ts'
import { EventsPerMinuteChart } from './epm-chart.ts'
import { setUpTheme } from './theme.ts'
import { askForKey, checkKey, forgetKey, REVOKED_SCREEN, screenKey } from './api-key.ts'
import { loadSites, SitePicker } from './site-picker.ts'

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T

setUpTheme($('theme'))
const connection = $('connection')
const seq = $('seq')
const clock = $('clock')
setInterval(() => (clock.textContent = new Date().toLocaleTimeString(undefined, { hour12: false })), 1000)

const devices = new DeviceTiles($('devices'))
const activity = new ActivityList($('activity'))
const held = new HeldList($('held'), $('held-count'))
const chart = new EventsPerMinuteChart($('epm'))

let apiKey: string | undefined

/** The key stopped working: stop, say why, ask for another, and carry on from the same view. */
async function reauthenticate(message: string) {
  client.stop()
  forgetKey()
  apiKey = await askForKey(message)
  client.setApiKey(apiKey)
  client.start()
}

// A refused upgrade looks like any network failure to a browser: when the socket keeps failing,
// ask the API whether the key is the reason (an unreachable hub is not).
let checking = false
async function checkAfterFailures() {
  const current = apiKey
  if (checking || !current) return
  checking = true
  try {
    const check = await checkKey(current)
    if (check.ok === false) await reauthenticate(check.message)
  } finally {
    checking = false
  }
}

/** The floor-screen socket of one site. */
const liveUrl = (site: string) =>
  `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/live?site=${encodeURIComponent(site)}`
const siteNote = $('site-note')

const client: LiveClient = new LiveClient({
  url: liveUrl(''),
  open: (url, protocols) => new WebSocket(url, protocols),
  onUnauthorized: () => void reauthenticate(REVOKED_SCREEN),
  onSiteRefused: (_code, reason) => {
    siteNote.textContent = reason || 'The hub will not show this site with this key.'
    siteNote.hidden = false
  },
  onState: (state: LiveState) => {
    connection.dataset.state = state
    connection.textContent = state
    if (state === 'reconnecting' || state === 'offline') void checkAfterFailures()
  },
  onInventory: (change) => {
    if (change.kind === 'snapshot') table.reset()
    else if (change.kind === 'update') table.changed(change.skus)
    seq.textContent = `seq ${client.view.seq}`
  },
  onFeed: (message) => {
    if (message.type === 'device_status') devices.status(message)
    else if (message.type === 'held_event') held.update(message)
    else if (message.type === 'reconciliation') showReconciliation($('reconciliation'), message)
    else {
      activity.update(message)
      devices.activity(message)
      chart.update(message)
    }
  },
})
const table = new StockTable($('stock-rows'), $('shown'), client.view)

/** One screen shows one site: switching starts the screen over on the other site's stream. */
const picker = new SitePicker($<HTMLSelectElement>('site'), (site) => {
  document.title = `Warehouse floor · ${site}`
  siteNote.hidden = true
  devices.clear()
  held.clear()
  showReconciliation($('reconciliation'), { type: 'reconciliation', run: null })
  client.switchTo(liveUrl(site))
  table.reset()
  seq.textContent = ''
})

$<HTMLInputElement>('search').addEventListener('input', (e) => table.search((e.target as HTMLInputElement).value))
$<HTMLSelectElement>('filter').addEventListener('change', (e) => table.show((e.target as HTMLSelectElement).value as StockFilter))
void screenKey().then(async (key) => {
  apiKey = key
  client.setApiKey(key)
  if (picker.show(await loadSites(key)) === undefined) {
    siteNote.textContent = 'No site to show: the hub has no sites yet, or this key may see none.'
    siteNote.hidden = false
  }
})
