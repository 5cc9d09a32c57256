import { spawn } from 'node:child_process'
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SITE } from '../helpers/fixtures.ts'
import { useScenario } from '../helpers/scenario.ts'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const s = useScenario('termhh', { products: 1, locations: 1, devices: 1 })
let hubUrl: string
let home: string

beforeAll(async () => {
  await s.hubs[0]!.listen({ host: '127.0.0.1', port: 0 })
  hubUrl = `http://127.0.0.1:${(s.hubs[0]!.server.address() as AddressInfo).port}`
  home = await mkdtemp(join(tmpdir(), 'wh-home-'))
})
afterAll(() => rm(home, { recursive: true, force: true }))

/** `npm run handheld` as a new user runs it: a rotation for its secret, the outbox in its home folder. */
function runHandheld(homeDir: string, input: string) {
  const deviceId = s.fixture.devices[0]!
  const args = ['--device', deviceId, '--site', SITE, '--location', s.fixture.locations[0]!, '--rotate', '--hub', hubUrl]
  args.push('--api-key', s.fixture.keys.admin, '--broker', s.env.urls.mqtt, '--topic-root', s.env.env.MQTT_TOPIC_ROOT!)
  const child = spawn('npm', ['run', '--silent', 'handheld', '--', ...args], {
    cwd: ROOT,
    // npm itself would look for a newer npm on the network at a fresh home.
    env: { ...process.env, HOME: homeDir, npm_config_update_notifier: 'false' },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  // Piped input: the handheld records each line, waits for the hub's answers, then leaves.
  child.stdin.end(input)
  return new Promise<{ code: number | null; output: string }>((resolve) => child.on('exit', (code) => resolve({ code, output })))
}

const secretRow = async () =>
  (await s.inspect.rows<{ sealed: string }>('SELECT secret_sealed AS sealed FROM devices WHERE id = ?', [s.fixture.devices[0]!]))[0]?.sealed

describe('the terminal handheld on a fresh machine', () => {
  it('refuses to rotate its secret when it cannot keep an outbox', async () => {
    // The folder is there, but the outbox cannot be opened: a folder stands where its file goes.
    const blocked = await mkdtemp(join(tmpdir(), 'wh-home-'))
    await mkdir(join(blocked, '.warehouse-hub', `${s.fixture.devices[0]}.outbox`), { recursive: true })
    const before = await secretRow()
    const run = await runHandheld(blocked, '').finally(() => rm(blocked, { recursive: true, force: true }))
    expect(run.code, run.output).toBe(1)
    expect(await secretRow()).toBe(before)
    expect(run.output).toContain('the secret was not rotated')
  })

  it('makes its outbox folder, rotates, and has its first scan applied on the first run', async () => {
    const sku = s.fixture.skus[0]!
    const before = await secretRow()
    const run = await runHandheld(home, `:qty 3\n${sku}\n`)
    expect(run.code, run.output).toBe(0)
    expect(run.output).toMatch(new RegExp(`OK  #1 receive ${sku}\\s+on hand 3`))
    expect(await secretRow()).not.toBe(before)
    expect((await stat(join(home, '.warehouse-hub', `${s.fixture.devices[0]}.outbox`))).isFile()).toBe(true)
    const applied = await s.inspect.rows<{ device_seq: number; qty_delta: number }>('SELECT device_seq, qty_delta FROM stock_movements')
    expect(applied.map((r) => [Number(r.device_seq), Number(r.qty_delta)])).toEqual([[1, 3]])
  })
})
