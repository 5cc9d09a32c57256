import { execFile, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import https from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import mqtt from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { HubApp } from '../../hub/src/app.ts'
import { loadConfig } from '../../hub/src/config.ts'
import { bridgeUrl } from '../helpers/bridge-socket.ts'
import { buildHub } from '../helpers/build-hub.ts'
import { bearer, SITE } from '../helpers/fixtures.ts'
import { useScenario } from '../helpers/scenario.ts'

/**
 * The hub given TLS_CERT_FILE and TLS_KEY_FILE: HTTPS and WSS on its one port, checked against a
 * self-signed certificate made here (with the openssl CLI) and trusted as the CA.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const s = useScenario('hubhttps', { products: 1, locations: 1, devices: 1, hubs: [] })
let dir: string
let files: { cert: string; key: string; otherKey: string }
let ca: Buffer
let hub: HubApp

/** A self-signed certificate for localhost and 127.0.0.1, and its key. */
async function selfSigned(name: string) {
  const cert = join(dir, `${name}.crt`)
  const key = join(dir, `${name}.key`)
  const args = 'req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=localhost'.split(' ')
  await promisify(execFile)('openssl', [...args, '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', key, '-out', cert])
  return { cert, key }
}

/** GET over HTTPS, trusting `trusted` as the only CA. */
function get(url: string, trusted: Buffer | undefined, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
    https
      .get(url, { ca: trusted, headers }, (res) => {
        let body = ''
        res.on('data', (chunk: Buffer) => (body += chunk.toString()))
        res.on('end', () => resolve({ status: res.statusCode!, type: String(res.headers['content-type']), body }))
      })
      .on('error', reject)
  })
}

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'handheld/dist/index.html'))) throw new Error('handheld not built: run `npm run build`')
  dir = await mkdtemp(join(tmpdir(), 'wh-tls-'))
  const served = await selfSigned('hub')
  files = { ...served, otherKey: (await selfSigned('other')).key }
  ca = await readFile(files.cert)
  hub = await buildHub(s.env, { HUB_ROLES: 'api', TLS_CERT_FILE: files.cert, TLS_KEY_FILE: files.key })
  await hub.listen({ host: '127.0.0.1', port: 0 })
})
afterAll(async () => {
  await hub?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

const origin = () => `https://localhost:${(hub.server.address() as { port: number }).port}`

describe('the hub over HTTPS', () => {
  it('serves the handheld app and the API over HTTPS, trusted through its CA', async () => {
    const page = await get(`${origin()}/handheld/`, ca)
    expect(page).toMatchObject({ status: 200, type: expect.stringMatching(/^text\/html/) })
    expect(page.body).toContain('<title>Warehouse handheld</title>')
    const api = await get(`${origin()}/api/catalog?site=${SITE}`, ca, bearer(s.fixture.keys.viewer))
    expect(api.status).toBe(200)
    expect(JSON.parse(api.body).products.map((p: { sku: string }) => p.sku)).toEqual(s.fixture.skus)
    // Without the CA the certificate is not trusted: it is really TLS.
    await expect(get(`${origin()}/health`, undefined)).rejects.toThrow(/self[- ]signed/i)
  })

  it('carries MQTT over WSS through the bridge', async () => {
    const client = await mqtt.connectAsync(await bridgeUrl(hub, 'wss', 'localhost'), { protocolVersion: 5, reconnectPeriod: 0, ca })
    try {
      const topic = `${s.env.env.MQTT_TOPIC_ROOT}/wss-check`
      const heard = new Promise<string>((resolve) => client.once('message', (_t, payload) => resolve(payload.toString())))
      await client.subscribeAsync(topic, { qos: 1 })
      await client.publishAsync(topic, 'over wss', { qos: 1 })
      expect(await heard).toBe('over wss')
    } finally {
      await client.endAsync()
    }
  })

  it('keeps a process without the api role (its METRICS_PORT) on plain HTTP', async () => {
    const ingest = await buildHub(s.env, { HUB_ROLES: 'ingest', TLS_CERT_FILE: files.cert, TLS_KEY_FILE: files.key })
    try {
      await ingest.listen({ host: '127.0.0.1', port: 0 })
      const { port } = ingest.server.address() as { port: number }
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200)
    } finally {
      await ingest.close()
    }
  })

  it('refuses to start with one file of the pair, a file it cannot read, or a key of another certificate', async () => {
    expect(() => loadConfig({ TLS_CERT_FILE: files.cert })).toThrow(/TLS_CERT_FILE and TLS_KEY_FILE go together/)
    const missing = join(dir, 'missing.key')
    await expect(buildHub(s.env, { TLS_CERT_FILE: files.cert, TLS_KEY_FILE: missing })).rejects.toMatchObject({
      problems: [`TLS_KEY_FILE cannot be read (${missing}): ENOENT`],
    })
    await expect(buildHub(s.env, { TLS_CERT_FILE: files.cert, TLS_KEY_FILE: files.otherKey })).rejects.toThrow(
      /not a PEM certificate and its key/,
    )
  })

  it('stops a hub process whose certificate cannot be read with a configuration report and exit code 2', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'hub/src/server.ts'], {
      cwd: ROOT,
      env: { ...process.env, ...s.env.processEnv({ TLS_CERT_FILE: join(dir, 'missing.crt'), TLS_KEY_FILE: files.key }) },
    })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const code = await new Promise((resolve) => child.once('exit', resolve))
    expect(code).toBe(2)
    expect(stderr).toContain(`  - TLS_CERT_FILE cannot be read (${join(dir, 'missing.crt')}): ENOENT`)
  })
})
