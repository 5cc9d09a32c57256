import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import mysql, { type RowDataPacket } from 'mysql2/promise'
import { createClient } from 'redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestEnv } from '../helpers/test-env.ts'

/**
 * Every CLI a person starts answers `--help` with its usage and refuses a usage error with exit 2,
 * before it touches anything: each runs against a database that does not exist and a Redis prefix
 * of its own, and afterwards neither exists, nor any file the CLI would have made.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const env = createTestEnv('clihelp')
const scratch = await mkdtemp(join(tmpdir(), 'cli-help-'))

const scripts = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts as Record<string, string>
/** What a script runs: the CLI's file and the arguments the script itself gives it (`devices.ts register`). */
const CLI_FILE = /((?:hub\/src\/cli|devices\/src\/bin)\/[\w-]+\.ts)(.*)$/

/** Arguments that point what a CLI would write into the scratch folder, so the test can see it was not. */
const WRITES_TO: Record<string, string[]> = {
  devices: ['--outbox-dir', join(scratch, 'sim')],
  handheld: ['--device', 'HH-HELP', '--secret', 'not-used', '--outbox', join(scratch, 'hh', 'HH-HELP.outbox')],
}

/** How a user runs the script: npm where the script chains commands (the bench), else the CLI file itself. */
function command(script: string, args: string[]): string[] {
  if (script === 'bench') return ['npm', 'run', 'bench', '--', ...args]
  const [, file, fixed] = scripts[script]!.match(CLI_FILE)!
  return [process.execPath, '--import', 'tsx', file!, ...fixed!.split(' ').filter(Boolean), ...(WRITES_TO[script] ?? []), ...args]
}

const CLIS = [...Object.keys(scripts).filter((s) => CLI_FILE.test(scripts[s]!)), 'bench'].sort()

/** Usage errors beyond an unknown option: a missing value, a bad value, a missing or extra argument, a missing file. */
const BAD: [script: string, args: string[], reason: string][] = [
  ['devices:register', ['--id'], "Option '--id <value>' argument missing"],
  ['check-invariants', ['--settle-ms', 'soon'], '--settle-ms must be a whole number >= 0, got soon'],
  ['handheld', ['--device', ''], '--device is required'],
  ['seed', ['now'], "Unexpected argument 'now'"],
  ['import', ['stock', join(scratch, 'missing.csv')], `cannot read ${join(scratch, 'missing.csv')}`],
  ['bench', ['--partitions', 'none'], '--partitions must be a whole number >= 1, got none'],
]

interface Run {
  /** The exit code, or the signal that ended a process that did not exit by itself. */
  code: number | string | null
  stdout: string
  stderr: string
}
const runs = new Map<string, Run>()
const key = (script: string, args: string[]) => `${script} ${args.join(' ')}`

function run([file, ...args]: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const options = { cwd: ROOT, env: { ...process.env, ...env.processEnv() }, timeout: 120_000 }
    execFile(file!, args, options, (err, stdout, stderr) => resolve({ code: err ? (err.code ?? err.signal ?? null) : 0, stdout, stderr }))
  })
}

/** The usage as printed, without the two lines npm prints first (`> name`, `> command`). */
const usageOf = (stdout: string) => stdout.replace(/^\s*(> .*\n)+\n/, '').trim()

beforeAll(async () => {
  const jobs: [string, string[]][] = [
    ...CLIS.flatMap((s) => [[s, ['--help']] as [string, string[]], [s, ['--no-such-option']] as [string, string[]]]),
    ...BAD.map(([s, args]) => [s, args] as [string, string[]]),
  ]
  // A few at a time: each is a Node process loading the hub's modules, on a machine of two cores.
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let job = jobs.shift(); job; job = jobs.shift()) runs.set(key(...job), await run(command(...job)))
    }),
  )
}, 600_000)

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true })
  await env.cleanup()
})

describe('every CLI', () => {
  it('is each script that runs one, and the bench', () => {
    expect(CLIS).toEqual([
      'bench',
      'catalog',
      'check-invariants',
      'config:table',
      'devices',
      'devices:disable',
      'devices:enable',
      'devices:list',
      'devices:register',
      'devices:rotate',
      'export',
      'handheld',
      'import',
      'keys',
      'migrate',
      'people',
      'reconcile',
      'seed',
    ])
  })

  describe.each(CLIS)('npm run %s', (script) => {
    it('prints its usage on stdout for --help and exits 0', () => {
      const help = runs.get(key(script, ['--help']))!
      expect(help).toMatchObject({ code: 0, stderr: '' })
      // The usage names the command as a user types it (`npm run devices:<command>` for the five devices:*).
      expect(usageOf(help.stdout)).toMatch(new RegExp(`^(usage: )?npm run (--silent )?${script.split(':')[0]}\\b`))
    })

    it('exits 2 on an unknown option, with the reason and the usage on stderr and no stack', () => {
      const usage = usageOf(runs.get(key(script, ['--help']))!.stdout)
      const refused = runs.get(key(script, ['--no-such-option']))!
      expect(refused.code).toBe(2)
      expect(refused.stdout).not.toContain(usage)
      expect(refused.stderr).toMatch(/^Unknown option '--no-such-option'/)
      expect(refused.stderr).toContain(`\n\n${usage}\n`)
      expect(refused.stderr).not.toMatch(/^\s+at /m)
    })
  })

  it.each(BAD)('npm run %s %j: exits 2 with the reason and the usage', (script, args, reason) => {
    const usage = usageOf(runs.get(key(script, ['--help']))!.stdout)
    const refused = runs.get(key(script, args))!
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain(reason)
    expect(refused.stderr).toContain(usage)
    expect(refused.stderr).not.toMatch(/^\s+at /m)
  })

  it('wrote nothing: no database, no Redis key, no file, nothing installed or started', async () => {
    const conn = await mysql.createConnection(env.urls.mysql)
    const [schemas] = await conn.query<RowDataPacket[]>('SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [
      env.database,
    ])
    await conn.end()
    expect(schemas).toEqual([])

    const redis = createClient({ url: env.urls.redis })
    await redis.connect()
    const keys: string[] = []
    for await (const batch of redis.scanIterator({ MATCH: `${env.env.REDIS_PREFIX}*`, COUNT: 1000 })) keys.push(...batch)
    await redis.close()
    expect(keys).toEqual([])

    expect(await readdir(scratch)).toEqual([])
    // The bench's npm script installs and starts services only once its options are good: no
    // output of either in any of its runs.
    for (const [name, { stdout, stderr }] of runs)
      if (name.startsWith('bench ')) expect(`${stdout}${stderr}`).not.toMatch(/installing|building|mysql .* up|redis .* up/)
  })
})
