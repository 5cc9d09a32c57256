import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { EnvSchema } from '../../hub/src/config.ts'

/** What docker-compose.yml promises an operator, read from the files themselves. */
const ROOT = fileURLToPath(new URL('../..', import.meta.url))

interface Service {
  image?: string
  command?: string[]
  environment?: Record<string, string>
  ports?: string[]
  expose?: string[]
  volumes?: string[]
  secrets?: string[]
  restart?: string
  profiles?: string[]
  healthcheck?: { test?: string[]; disable?: boolean }
  depends_on?: Record<string, { condition: string }>
}
interface ComposeFile {
  services: Record<string, Service>
  volumes?: Record<string, unknown>
  secrets?: Record<string, { file: string }>
}

// `merge`: the file shares settings between services with YAML merge keys (`<<: *hub`), as compose reads them.
const read = (name: string) => parse(readFileSync(join(ROOT, name), 'utf8'), { merge: true }) as ComposeFile
const base = read('docker-compose.yml')
const dev = read('docker-compose.dev.yml')
const floor = read('docker-compose.floor.yml')
const { mysql, redis, mosquitto, hub, worker, seed } = base.services as Record<string, Service>
const hubServices = Object.entries(base.services).filter(([, s]) => s.command?.[0] === 'node' || s === hub)
/** A short-syntax port's parts (`127.0.0.1:${MYSQL_PORT:-3306}:3306`), its interpolations left whole. */
const portParts = (port: string) => port.match(/(\$\{[^}]*\}|[^:])+/g) ?? []
/** The host address a port is published on, or '' for all. */
const hostAddress = (port: string) => (portParts(port).length === 3 ? portParts(port)[0] : '')
/** The container port a port publishes. */
const containerPort = (port: string) => portParts(port).at(-1)

describe('docker-compose.yml', () => {
  it('runs MariaDB 10.11, as CI and the tests do, with binary collation by default', () => {
    expect(mysql!.image).toBe('mariadb:10.11')
    expect(mysql!.command).toContain('--collation-server=utf8mb4_bin')
  })

  it('gives the hub a database user of its own with a password, and root a password too', () => {
    const env = mysql!.environment!
    expect(env).not.toHaveProperty('MARIADB_ALLOW_EMPTY_ROOT_PASSWORD')
    expect(env).not.toHaveProperty('MYSQL_ALLOW_EMPTY_PASSWORD')
    expect(env.MARIADB_ROOT_PASSWORD_FILE).toMatch(/^\/run\/secrets\//)
    for (const [, service] of hubServices) {
      const url = new URL(service.environment!.MYSQL_URL!)
      expect(url.username).toBe(env.MARIADB_USER)
      expect(url.username).not.toBe('root')
      expect(url.pathname).toBe(`/${env.MARIADB_DATABASE}`)
      // The same secret file the database server creates the user with.
      expect(service.environment!.MYSQL_PASSWORD_FILE).toBe(env.MARIADB_PASSWORD_FILE)
    }
  })

  it('publishes only the hub: MariaDB, Redis and Mosquitto are reachable on the compose network alone', () => {
    const published = Object.entries(base.services).filter(([, s]) => s.ports !== undefined)
    expect(published.map(([name]) => name)).toEqual(['hub'])
    expect(hub!.ports!.map((p) => containerPort(p))).toEqual(['3000'])
    expect(worker!.expose).toEqual(['9464'])
  })

  it('publishes the services on 127.0.0.1 only in the dev overlay, and only the broker in the floor overlay', () => {
    const devPorts = Object.values(dev.services).flatMap((s) => s.ports ?? [])
    expect(devPorts.length).toBeGreaterThan(0)
    expect(devPorts.filter((p) => hostAddress(p) !== '127.0.0.1')).toEqual([])
    expect(Object.keys(floor.services)).toEqual(['mosquitto'])
    expect(floor.services.mosquitto!.ports!.map((p) => containerPort(p))).toEqual(['1883', '9001'])
  })

  it('keeps the database, Redis (with AOF) and the broker in named volumes', () => {
    const named = (service: Service, target: string) => service.volumes?.find((v) => v.split(':')[1] === target)?.split(':')[0] ?? 'none'
    for (const [service, target] of [
      [mysql!, '/var/lib/mysql'],
      [redis!, '/data'],
      [mosquitto!, '/mosquitto/data'],
    ] as const) {
      expect(Object.keys(base.volumes ?? {})).toContain(named(service, target))
    }
    expect(redis!.command!.join(' ')).toMatch(/--appendonly yes/)
    expect(redis!.command!.join(' ')).toMatch(/--maxmemory-policy noeviction/)
  })

  it('restarts every long-running service and checks its health; what depends on one waits until it is healthy', () => {
    for (const [name, service] of Object.entries(base.services).filter(([, s]) => s !== seed)) {
      expect(service.restart, name).toBe('unless-stopped')
      expect(service.healthcheck?.test?.length, name).toBeGreaterThan(1)
      expect(service.healthcheck?.disable, name).toBeUndefined()
      for (const [on, { condition }] of Object.entries(service.depends_on ?? {}))
        expect(condition, `${name} on ${on}`).toBe('service_healthy')
    }
  })

  it('seeds the demo warehouse (and prints its secrets) only under the demo profile, once', () => {
    const seeding = Object.entries(base.services).filter(([, s]) => s.command?.some((part) => /seed/.test(part)))
    expect(seeding.map(([name]) => name)).toEqual(['seed'])
    expect(seed!.profiles).toEqual(['demo'])
    expect(seed!.restart).toBe('no')
    expect(Object.values(base.services).filter((s) => s.profiles !== undefined)).toEqual([seed])
  })

  it('hands the hub only settings it has, and its secrets as files compose mounts', () => {
    const settings = new Set(Object.keys(EnvSchema.properties))
    for (const [name, service] of hubServices) {
      for (const [key, value] of Object.entries(service.environment!)) {
        if (settings.has(key)) continue
        // K_FILE: K from a secret file (hub/src/config.ts), which the service mounts.
        expect(settings.has(key.replace(/_FILE$/, '')), `${name}: ${key} is no setting of hub/src/config.ts`).toBe(true)
        const secret = value.replace('/run/secrets/', '')
        expect(service.secrets, `${name}: ${key}`).toContain(secret)
        expect(base.secrets, `${name}: ${key}`).toHaveProperty(secret)
      }
      for (const secret of ['HUB_SECRET_KEY', 'MQTT_PASSWORD', 'MYSQL_PASSWORD']) {
        expect(service.environment, name).not.toHaveProperty(secret)
        expect(service.environment, name).toHaveProperty(`${secret}_FILE`)
      }
    }
  })
})

/** A compose client: the docker CLI's plugin (`docker compose`), else a standalone `docker-compose` (scripts/install.sh installs it). */
const onPath = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0
const composeClient =
  spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status === 0
    ? ['docker', 'compose']
    : onPath('docker-compose')
      ? ['docker-compose']
      : undefined

describe('a compose client', () => {
  const secrets = mkdtempSync(join(tmpdir(), 'wh-compose-secrets-'))
  afterAll(() => rmSync(secrets, { recursive: true, force: true }))

  it('accepts the file alone, and with both overlays and the demo profile', () => {
    if (!composeClient) throw new Error('no compose client: run scripts/install.sh as root (Debian), or install Docker Compose')
    // The secret files, as the operator's first step writes them (`up` needs them).
    expect(spawnSync('sh', [join(ROOT, 'docker/make-secrets.sh'), secrets]).status).toBe(0)
    const [command, ...args] = composeClient
    const all = ['-f', 'docker-compose.dev.yml', '-f', 'docker-compose.floor.yml', '--profile', 'demo']
    for (const extra of [[], all]) {
      const run = spawnSync(command!, [...args, '-f', 'docker-compose.yml', ...extra, 'config', '-q'], {
        cwd: ROOT,
        env: { ...process.env, SECRETS_DIR: secrets },
        encoding: 'utf8',
      })
      expect(run.status, `${extra.join(' ')}: ${run.stderr}`).toBe(0)
    }
    // The standalone client takes seconds to start on a busy machine.
  }, 60_000)
})
