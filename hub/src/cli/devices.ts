import QRCode from 'qrcode'
import type { DeviceInfo } from '@wh/shared'
import { cliUsage, runToExit } from './cli-usage.ts'
import { openDatabaseServices } from '../services.ts'
import { createDeviceRegistry, type IssuedSecret } from '../devices/device-registry.ts'
import { provisioningFor, publicAddresses } from '../devices/provisioning.ts'

const USAGE = `npm run devices:<command> -- [options]   (straight to the database, with HUB_SECRET_KEY)
  devices:register -- --id HH-07 --site dc1 [--kind handheld|fixed]   prints the new secret once
  devices:rotate   -- --id HH-07     a new secret, printed once; the old one stops working
  devices:disable  -- --id HH-07     the device's events are refused
  devices:enable   -- --id HH-07
  devices:list     -- [--site dc1]
  --actor NAME   who makes the change, for the audit log (default: cli)
  --code         with register/rotate: also print the provisioning code the handheld app reads
                 (its text, and as a QR code in the terminal), with the hub at PUBLIC_URL
  --json         print the result as JSON`

const {
  values: a,
  positionals,
  fail,
  configOrExit,
} = cliUsage(
  USAGE,
  {
    id: { type: 'string' },
    site: { type: 'string' },
    kind: { type: 'string', default: 'handheld' },
    actor: { type: 'string', default: 'cli' },
    json: { type: 'boolean', default: false },
    code: { type: 'boolean', default: false },
  },
  { positionals: true },
)
const [command] = positionals
if (!command || !['register', 'rotate', 'disable', 'enable', 'list'].includes(command)) fail(`unknown command: ${command ?? '(none)'}`)
if (command !== 'list' && !a.id) fail('--id is required')
if (command === 'register' && !a.site) fail('--site is required')
if (a.kind !== 'handheld' && a.kind !== 'fixed') fail('--kind is handheld or fixed')

const config = configOrExit()
const services = await openDatabaseServices(config, { poolSize: 1, migrate: false })
if (services.developmentKey) console.error('warning: HUB_SECRET_KEY is not set; sealing with the public development key')
const registry = createDeviceRegistry({ db: services.database.db, box: services.secretBox })

const describe = (d: DeviceInfo) =>
  `${d.id}  site ${d.site}  ${d.kind}  ${d.enabled ? 'enabled' : 'DISABLED'}  ${d.status}  ${d.hasSecret ? `secret issued ${d.secretRotatedAt}` : 'NO SECRET (rotate to issue one)'}`
const showIssued = async (issued: IssuedSecret, what: string) => {
  if (a.json) return console.log(JSON.stringify(issued, null, 2))
  console.log(`${what} ${describe(issued.device)}`)
  console.log(`secret (shown this once; store it on the device): ${issued.secret}`)
  if (!a.code) return
  // The console's code, for a handheld set up from a terminal: the hub as PUBLIC_URL names it.
  const code = JSON.stringify(provisioningFor(issued, publicAddresses(config, `http://${config.HTTP_HOST}:${config.HTTP_PORT}`)))
  console.log(`provisioning code (scan it, or paste it into the handheld app's setup):\n${code}`)
  console.log(await QRCode.toString(code, { type: 'utf8', errorCorrectionLevel: 'L' }))
}

await runToExit(
  async () => {
    const id = a.id!
    const actor = a.actor
    if (command === 'register') {
      await showIssued(await registry.register({ id, site: a.site!, kind: a.kind as 'handheld' | 'fixed', actor }), 'registered')
    } else if (command === 'rotate') {
      await showIssued(await registry.rotate(id, actor), 'new secret for')
    } else if (command === 'disable' || command === 'enable') {
      const device = await registry.setEnabled(id, command === 'enable', actor)
      console.log(a.json ? JSON.stringify(device, null, 2) : describe(device))
    } else {
      const devices = await registry.list(a.site ? { site: a.site } : {})
      console.log(a.json ? JSON.stringify(devices, null, 2) : devices.map(describe).join('\n') || 'no devices')
    }
    // Hubs re-read a device every few seconds; this process cannot tell them sooner.
    if (command !== 'list' && !a.json) console.error('running hubs apply the change within 5 seconds')
  },
  () => services.close(),
)
