import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { commandLine } from '@wh/shared/cli'
import { startFleet } from '../sim/fleet.ts'
import { createHubApi } from '../sim/hub-api.ts'
import { createProgressWriter } from '../sim/progress-line.ts'

const USAGE = `npm run devices -- [options]
  --scanners N        virtual scanners (default 10)
  --rate N            scans per second across the fleet (default 20)
  --duration S        seconds of scanning, 0 = until Ctrl-C or --events (default 60)
  --events N          stop after N scans in all
  --seed N            workload seed, for a run that can be replayed (default 1)
  --site ID           warehouse site (default dc1)
  --hub URL           hub HTTP address (default http://127.0.0.1:3000)
  --api-key KEY       an admin API key of the hub, to register the scanners (default: HUB_API_KEY)
  --broker URL        MQTT broker (default mqtt://127.0.0.1:1883)
  --topic-root R      MQTT topic root (default wh)
  --prefix P          device ids P-001… (default SIM); each is registered with the hub, or its
                      secret rotated if it already is, and signs with the secret it gets
  --mqtt-password PW  broker password of every scanner, which logs in as its device id
                      (default: the WH_MQTT_PASSWORD environment variable; none for an open broker)
  --outbox-dir DIR    where each scanner keeps its outbox (default: a folder in the system temp dir)
  --ack-timeout MS    resend after this long without an ack (default 5000)
  --drop-every S      every S seconds some scanners lose Wi-Fi ...
  --drop-for S        ... for S seconds (default 5) ...
  --drop-share F      ... this share of them (default 0.2)
  --json              print the final result as JSON on stdout`

const { values: a, fail } = commandLine(USAGE, {
  scanners: { type: 'string', default: '10' },
  rate: { type: 'string', default: '20' },
  duration: { type: 'string', default: '60' },
  events: { type: 'string' },
  seed: { type: 'string', default: '1' },
  site: { type: 'string', default: 'dc1' },
  hub: { type: 'string', default: 'http://127.0.0.1:3000' },
  'api-key': { type: 'string', default: process.env.HUB_API_KEY },
  broker: { type: 'string', default: 'mqtt://127.0.0.1:1883' },
  'topic-root': { type: 'string', default: 'wh' },
  prefix: { type: 'string', default: 'SIM' },
  'mqtt-password': { type: 'string', default: process.env.WH_MQTT_PASSWORD },
  'outbox-dir': { type: 'string' },
  'ack-timeout': { type: 'string', default: '5000' },
  'drop-every': { type: 'string' },
  'drop-for': { type: 'string', default: '5' },
  'drop-share': { type: 'string', default: '0.2' },
  json: { type: 'boolean', default: false },
})
const num = (name: keyof typeof a) => {
  const n = Number(a[name])
  return Number.isFinite(n) && n >= 0 && a[name] !== '' ? n : fail(`--${name} must be a number >= 0, got ${a[name]}`)
}

// Every value checked before anything starts, so a bad one leaves nothing running or written.
const load = {
  scanners: Math.max(1, num('scanners')),
  rate: num('rate'),
  durationS: num('duration'),
  events: a.events === undefined ? undefined : num('events'),
  seed: num('seed'),
  ackTimeoutMs: num('ack-timeout'),
  drop: a['drop-every'] ? { everyS: num('drop-every'), forS: num('drop-for'), share: num('drop-share') } : undefined,
}
const progress = createProgressWriter()
const fleet = startFleet({
  ...load,
  hub: createHubApi(a.hub!, a['api-key']),
  brokerUrl: a.broker!,
  site: a.site!,
  topicRoot: a['topic-root'],
  prefix: a.prefix,
  mqttPassword: a['mqtt-password'] || undefined,
  outboxDir: a['outbox-dir'] ?? join(tmpdir(), `warehouse-sim-${a.prefix}`),
  onProgress: progress.update,
})
process.once('SIGINT', fleet.stop)
process.once('SIGTERM', fleet.stop)
const result = await fleet.done
progress.end(result)
if (a.json) console.log(JSON.stringify(result, null, 2))
else if (Object.keys(result.rejectedByCode).length) console.error(`rejected by code: ${JSON.stringify(result.rejectedByCode)}`)
process.exit(result.pending === 0 ? 0 : 1)
