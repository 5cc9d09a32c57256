import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../hub/src/config.ts'
import { partitionOf } from '../../hub/src/partition/partition-key.ts'
import { packUnits, resolveQuantity } from '../../hub/src/ingest/scan-quantity.ts'
import { MAX_QTY, type ScanEvent } from '@wh/shared'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

describe('loadConfig', () => {
  it('applies defaults and converts strings from the environment', () => {
    const config = loadConfig({ HTTP_PORT: '4000', MIGRATE_ON_START: 'false', HUB_ROLES: 'worker' })
    expect(config).toMatchObject({ HTTP_PORT: 4000, MIGRATE_ON_START: false, PARTITIONS: 16, REDIS_PREFIX: 'wh' })
    expect([...config.roles]).toEqual(['worker'])
    expect(Object.isFrozen(config)).toBe(true)
  })

  it('refuses bad values with the names of the settings', () => {
    expect(() => loadConfig({ HTTP_PORT: 'abc', HUB_ROLES: 'api,cron' })).toThrow(/HTTP_PORT.*HUB_ROLES|HUB_ROLES.*HTTP_PORT/)
    // A service address that is not one is refused here, not later inside a driver.
    expect(() => loadConfig({ MYSQL_URL: 'localhost:3306/warehouse' })).toThrow(/MYSQL_URL/)
    expect(() => loadConfig({ REDIS_URL: 'http://127.0.0.1:6379' })).toThrow(/REDIS_URL/)
    expect(() => loadConfig({ MQTT_URL: 'mqtt://' })).toThrow(/MQTT_URL/)
    expect(loadConfig({ REDIS_URL: 'rediss://cache:6380', MQTT_URL: 'mqtts://broker:8883' })).toMatchObject({
      REDIS_URL: 'rediss://cache:6380',
    })
  })

  it('stops a hub process at start with one line per problem and a non-zero exit, before connecting to anything', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'hub/src/server.ts'], {
      cwd: ROOT,
      env: { ...process.env, HTTP_PORT: 'abc', PARTITIONS: '0', MYSQL_URL: 'mysql://nowhere.invalid/x' },
      encoding: 'utf8',
      timeout: 30_000,
    })
    expect(run.status).toBe(2)
    const problems = run.stderr.split('\n').filter((l) => l.startsWith('  - '))
    expect(problems).toHaveLength(2)
    expect(problems.join('\n')).toMatch(/HTTP_PORT/)
    expect(problems.join('\n')).toMatch(/PARTITIONS/)
    // Loading the hub under tsx takes seconds on a busy machine: the child's own limit applies.
  }, 30_000)
})

describe('settings from files and .env', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wh-config-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const file = (name: string, contents: string) => {
    const path = join(dir, name)
    writeFileSync(path, contents)
    return path
  }
  const KEY_HEX = 'ab'.repeat(32)

  it('reads K from the file K_FILE names, less its trailing newline, as a secret mounted by compose is', () => {
    const config = loadConfig({
      HUB_SECRET_KEY_FILE: file('hub_secret_key', `${KEY_HEX}\n`),
      MQTT_PASSWORD_FILE: file('mqtt_password', ' spaced pass \r\n'),
      PARTITIONS_FILE: file('partitions', '8\n'),
    })
    expect(config.HUB_SECRET_KEY).toBe(KEY_HEX)
    expect(config.MQTT_PASSWORD).toBe(' spaced pass ')
    expect(config.PARTITIONS).toBe(8)
  })

  it('refuses K and K_FILE both set, and a file it cannot read, without showing any contents', () => {
    const secret = file('both', 'not-shown')
    expect(() => loadConfig({ MQTT_PASSWORD: 'x', MQTT_PASSWORD_FILE: secret })).toThrow(
      /MQTT_PASSWORD and MQTT_PASSWORD_FILE are both set/,
    )
    const missing = join(dir, 'missing')
    expect(() => loadConfig({ HUB_SECRET_KEY_FILE: missing })).toThrow(`HUB_SECRET_KEY_FILE: cannot read ${missing} (ENOENT)`)
    // A value read from a file is checked like any other, and the error names the setting only.
    expect(() => loadConfig({ HUB_SECRET_KEY_FILE: secret })).toThrow(/HUB_SECRET_KEY must be/)
    expect(() => loadConfig({ HUB_SECRET_KEY_FILE: secret })).not.toThrow(/not-shown/)
  })

  it('puts MYSQL_PASSWORD into MYSQL_URL percent-encoded, and refuses a second password', () => {
    const password = 'p@ss:w/rd#1'
    const config = loadConfig({ MYSQL_URL: 'mysql://hub@db:3306/warehouse', MYSQL_PASSWORD_FILE: file('mysql_password', `${password}\n`) })
    const url = new URL(config.MYSQL_URL)
    // mysql2 decodes the URL's parts so (its ConnectionConfig.parseUrl); tests/integration/compiled-hub logs in so.
    expect([url.username, decodeURIComponent(url.password), url.host, url.pathname]).toEqual(['hub', password, 'db:3306', '/warehouse'])
    expect(() => loadConfig({ MYSQL_URL: 'mysql://hub:old@db/warehouse', MYSQL_PASSWORD: 'new' })).toThrow(/give it in one place/)
  })

  it('reads .env from the working directory when it reads the process environment, the real environment winning', () => {
    const cwd = mkdtempSync(join(dir, 'cwd-'))
    writeFileSync(join(cwd, '.env'), '# settings for this folder\nHTTP_PORT=abc\nPARTITIONS=8\n')
    // A process of its own: .env goes into its process.env. Hub processes and CLIs load their settings so.
    const script = `
      const { loadConfig } = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'hub/src/config.ts')).href)})
      try { loadConfig() } catch (err) { console.log(err.problems.join('\\n')) }`
    const run = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), '--input-type=module', '-e', script], {
      cwd,
      env: { ...process.env, PARTITIONS: '0' },
      encoding: 'utf8',
      timeout: 30_000,
    })
    expect(run.stderr).toBe('')
    const problems = run.stdout.trim().split('\n')
    expect(problems).toHaveLength(2)
    expect(problems.join('\n')).toMatch(/HTTP_PORT/)
    expect(problems.join('\n')).toMatch(/PARTITIONS/)
  }, 30_000)
})

describe('partitionOf', () => {
  it('is stable and spreads consecutive products over all partitions', () => {
    const counts = new Array(16).fill(0)
    for (let id = 1; id <= 1600; id++) counts[partitionOf(id, 16)]++
    expect(partitionOf(42, 16)).toBe(partitionOf(42, 16))
    expect(Math.min(...counts)).toBeGreaterThan(50)
  })
})

describe('resolveQuantity', () => {
  const event = (type: ScanEvent['type'], qty?: number, reason?: string) =>
    ({ eventId: 'x', deviceId: 'D', deviceSeq: 1, type, barcode: 'B', location: 'L', qty, reason }) as ScanEvent

  it('takes one unit for a scan without qty, the GS1 count when only the label has one', () => {
    expect(resolveQuantity(event('pick'), undefined)).toBe(1)
    expect(resolveQuantity(event('receive'), 12)).toBe(12)
  })

  it('requires a count to say how many, allowing zero', () => {
    expect(resolveQuantity(event('count', 0), undefined)).toBe(0)
    expect(resolveQuantity(event('count'), undefined)).toMatchObject({ code: 'INVALID_EVENT' })
  })

  it('requires an adjust to be signed, non-zero and explained', () => {
    expect(resolveQuantity(event('adjust', -2, 'damaged'), undefined)).toBe(-2)
    expect(resolveQuantity(event('adjust', -2), undefined)).toMatchObject({ code: 'INVALID_EVENT' })
    expect(resolveQuantity(event('adjust', 0, 'x'), undefined)).toMatchObject({ code: 'INVALID_EVENT' })
  })

  it('rejects a payload qty that disagrees with the label', () => {
    expect(resolveQuantity(event('receive', 3), 5)).toMatchObject({ code: 'QTY_MISMATCH' })
  })
})

describe('packUnits', () => {
  it('moves count x pack units: a case of 12 is 12, four cases 48, a signed adjust of one case -12', () => {
    expect(packUnits(1, 12)).toBe(12)
    expect(packUnits(4, 12)).toBe(48)
    expect(packUnits(5, 1)).toBe(5)
    expect(packUnits(-1, 12)).toBe(-12)
    expect(packUnits(0, 12)).toBe(0)
  })

  it('refuses more than MAX_QTY units either way', () => {
    expect(packUnits(MAX_QTY, 1)).toBe(MAX_QTY)
    expect(packUnits(83_334, 12)).toMatchObject({ code: 'QTY_OUT_OF_RANGE' })
    expect(packUnits(-83_334, 12)).toMatchObject({ code: 'QTY_OUT_OF_RANGE' })
  })
})
