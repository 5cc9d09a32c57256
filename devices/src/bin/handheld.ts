import { mkdir } from 'node:fs/promises'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline/promises'
import { EventTypes, type EventType } from '@wh/shared'
import { commandLine } from '@wh/shared/cli'
import { startScanner } from '../node/start-scanner.ts'
import { OutboxFile } from '../outbox/outbox-file.ts'
import { InvalidScanError, type ScanOutcome } from '../scanner-client.ts'
import { createHubApi } from '../sim/hub-api.ts'

const HELP = `Type or scan a barcode to record it with the current action, location and quantity.
  :receive :pick :count :move :adjust   choose the action
  :loc CODE      location scanned at          :to CODE     target location of a move
  :qty N         quantity for the next scans, of what is scanned (a case GTIN counts cases)
  :reason TEXT   why (adjustments)            :order ID    order a pick is for
  :pending       unacknowledged scans
  :help          this text                    :quit        leave (pending scans stay in the outbox)`

const USAGE = `npm run handheld -- --device HH-01 (--secret S | --rotate) [options]
  a terminal handheld: type or scan barcodes, each recorded as a scan (:help once running)
  --device ID          the device id, as registered with the hub
  --secret S           the device's signing secret (or WH_DEVICE_SECRET), as npm run devices:register/rotate printed it
  --rotate             ask the hub for a new secret and use it; needs an admin API key
  --hub URL            the hub, for --rotate (default http://127.0.0.1:3000)
  --api-key KEY        an admin API key of the hub, for --rotate (default: HUB_API_KEY)
  --site ID            warehouse site (default dc1)
  --location CODE      location scanned at, to begin with (default A-01)
  --broker URL         MQTT broker (default mqtt://127.0.0.1:1883)
  --topic-root R       MQTT topic root (default wh)
  --mqtt-password PW   broker password, logging in as the device id (or WH_MQTT_PASSWORD)
  --outbox FILE        where scans wait for their acks (default ~/.warehouse-hub/<device>.outbox)`

const { values: a, fail } = commandLine(USAGE, {
  device: { type: 'string' },
  site: { type: 'string', default: 'dc1' },
  broker: { type: 'string', default: 'mqtt://127.0.0.1:1883' },
  'topic-root': { type: 'string', default: 'wh' },
  outbox: { type: 'string' },
  location: { type: 'string', default: 'A-01' },
  secret: { type: 'string', default: process.env.WH_DEVICE_SECRET },
  rotate: { type: 'boolean', default: false },
  hub: { type: 'string', default: 'http://127.0.0.1:3000' },
  'api-key': { type: 'string', default: process.env.HUB_API_KEY },
  'mqtt-password': { type: 'string', default: process.env.WH_MQTT_PASSWORD },
})
const device = a.device || fail('--device is required')
if (!a.secret && !a.rotate) fail('give the device its secret (--secret or WH_DEVICE_SECRET), or --rotate for a new one')
// The outbox open (its folder made) before anything else: a rotation that then failed to store
// scans would leave the device with a secret nobody kept.
const outboxPath = a.outbox ?? join(homedir(), '.warehouse-hub', `${device}.outbox`)
const outbox = await mkdir(dirname(outboxPath), { recursive: true })
  .then(() => OutboxFile.open(outboxPath))
  .catch((err: Error) => {
    console.error(`cannot keep scans in ${outboxPath}: ${err.message}${a.rotate ? '; the secret was not rotated' : ''}`)
    process.exit(1)
  })
// A rotation makes any secret the device had before stop working; pending scans are signed anew.
const secret = a.rotate ? (await createHubApi(a.hub!, a['api-key']).rotateDevice(device)).secret : a.secret!

const state: { type: EventType; location: string; toLocation?: string; qty?: number; reason?: string; orderId?: string } = {
  type: 'receive',
  location: a.location!,
}
const client = await startScanner({
  deviceId: device,
  site: a.site!,
  secret,
  brokerUrl: a.broker!,
  ...(a['mqtt-password'] ? { mqtt: { username: device, password: a['mqtt-password'] } } : {}),
  topicRoot: a['topic-root'],
  store: outbox,
})

const show = ({ event, ack }: ScanOutcome) => {
  const mark = { applied: 'OK ', duplicate: 'DUP', held: 'HLD', rejected: 'ERR' }[ack.status]
  const stock = ack.onHand === undefined ? '' : `  on hand ${ack.onHand}, available ${ack.available} at ${ack.location}`
  console.log(`\n${mark} #${event.deviceSeq} ${event.type} ${event.barcode}${stock}${ack.message ? `\n    ${ack.message}` : ''}`)
  prompt(true)
}
client.on('outcome', show)
client.on('connection', (s) => console.log(`\n[${s}]`))
client.on('refused', (ack) => console.log(`\nhub refuses this device: ${ack.message ?? ack.code}`))
// Their outcomes were shown at their first ack; only the resend is news.
client.on('resync', ({ events }) => events > 0 && console.log(`\n[the hub is behind: resending ${events} scans]`))
client.on('error', (err) => console.error(`\n[${err.message}]`))
if (client.outbox.recovery.droppedBytes > 0) console.log(`outbox recovered; damaged tail kept in ${client.outbox.recovery.keptAside}`)
if (client.pending().length) console.log(`${client.pending().length} scans from before are waiting for the hub`)

const interactive = Boolean(process.stdin.isTTY)
const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: interactive })
const prompt = (keepLine = false) => interactive && rl.prompt(keepLine)
const setPrompt = () =>
  rl.setPrompt(`${state.type} @${state.location}${state.toLocation ? `->${state.toLocation}` : ''} x${state.qty ?? 1}> `)
if (interactive) console.log(HELP)
setPrompt()
prompt()

for await (const raw of rl) {
  const line = raw.trim()
  const [command, ...rest] = line.split(/\s+/)
  const arg = rest.join(' ')
  if (line === '') {
    // nothing
  } else if (command === ':quit') {
    break
  } else if (command === ':help') {
    console.log(HELP)
  } else if (command === ':pending') {
    console.log(
      client
        .pending()
        .map((e) => `#${e.deviceSeq} ${e.type} ${e.barcode}`)
        .join('\n') || 'none',
    )
  } else if (command?.startsWith(':') && (EventTypes as readonly string[]).includes(command.slice(1))) {
    state.type = command.slice(1) as EventType
  } else if (command === ':loc') state.location = arg
  else if (command === ':to') state.toLocation = arg
  else if (command === ':qty') state.qty = arg ? Number(arg) : undefined
  else if (command === ':reason') state.reason = arg || undefined
  else if (command === ':order') state.orderId = arg || undefined
  else {
    try {
      const { type, location, toLocation, qty, reason, orderId } = state
      await client.scan({
        type,
        barcode: line,
        location,
        qty,
        ...(type === 'move' ? { toLocation } : {}),
        ...(reason ? { reason } : {}),
        ...(orderId ? { orderId } : {}),
      })
    } catch (err) {
      console.log(err instanceof InvalidScanError ? `not sent: ${err.message}` : `not recorded: ${(err as Error).message}`)
    }
  }
  setPrompt()
  prompt()
}

// Piped input ends here: give the hub a moment to answer what was just sent.
const deadline = Date.now() + 10_000
while (client.pending().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
if (client.pending().length) console.log(`${client.pending().length} scans stay in the outbox and are sent next time`)
await client.stop()
process.exit(0)
