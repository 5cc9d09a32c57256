import { createInterface } from 'node:readline/promises'
import { Writable } from 'node:stream'
import { PersonRoles, type Person, type PersonRole } from '@wh/shared'
import { createPersonStore } from '../people/person-store.ts'
import { createSessionStore } from '../people/session-store.ts'
import { cliUsage, runToExit } from './cli-usage.ts'
import { openDatabaseServices } from '../services.ts'

const USAGE = `npm run people -- <command> [options]   (straight to the database, MYSQL_URL)
  add <username> --role viewer|supervisor|admin [--name "Full Name"] [--sites dc1,dc2]
                         the first admin is made here; the password is asked for twice
                         (or read from the first line of stdin when it is not a terminal)
  list                   everyone, their role, sites and last sign-in
  password <username>    set a new password; every session of the person ends
  disable <username>     the person can no longer sign in; their sessions end at once
  enable <username>
  --actor NAME           who makes the change, for the audit log (default: cli)`

const {
  values: a,
  positionals,
  fail,
  configOrExit,
} = cliUsage(
  USAGE,
  {
    role: { type: 'string' },
    name: { type: 'string' },
    sites: { type: 'string' },
    actor: { type: 'string', default: 'cli' },
  },
  { positionals: true },
)
const [command, username] = positionals
if (!command || !['add', 'list', 'password', 'disable', 'enable'].includes(command)) fail(`unknown command: ${command ?? '(none)'}`)
if (command !== 'list' && !username) fail(`${command} needs a username`)
if (command === 'add' && !PersonRoles.includes(a.role as PersonRole)) fail(`--role is one of ${PersonRoles.join(', ')}`)
const sites = a.sites
  ?.split(',')
  .map((s) => s.trim())
  .filter(Boolean)

/** A password typed at a hidden prompt (twice, to catch a typo), or the first line of piped stdin. */
async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const lines = createInterface({ input: process.stdin })
    for await (const line of lines) return line
    return fail('no password on stdin')
  }
  let muted = false
  const output = new Writable({ write: (chunk, _enc, done) => void (muted || process.stdout.write(chunk), done()) })
  const prompt = createInterface({ input: process.stdin, output, terminal: true })
  const ask = async (question: string) => {
    process.stdout.write(question)
    muted = true
    const answer = await prompt.question('')
    muted = false
    process.stdout.write('\n')
    return answer
  }
  const first = await ask('password: ')
  const again = await ask('again: ')
  prompt.close()
  if (first !== again) fail('the passwords differ')
  return first
}

const describe = (p: Person) =>
  [
    p.username.padEnd(16),
    p.role.padEnd(10),
    p.displayName,
    p.sites ? `sites ${p.sites.join(',')}` : 'all sites',
    p.active ? '' : 'DISABLED',
  ]
    .filter(Boolean)
    .join('  ')

const config = configOrExit()
const services = await openDatabaseServices(config, { poolSize: 1, migrate: false })
const sessions = createSessionStore(services.database.pool)
const store = createPersonStore(services.database.db, async (userId) => void (await sessions.endAll(userId)))

await runToExit(
  async () => {
    const actor = a.actor
    if (command === 'list') return (await store.list()).forEach((p) => console.log(describe(p)))
    if (command === 'add') {
      const password = await readPassword()
      const person = {
        username: username!,
        displayName: a.name ?? username!,
        role: a.role as PersonRole,
        password,
        ...(sites?.length ? { sites } : {}),
      }
      return console.log(`added ${describe(await store.create(person, actor))}`)
    }
    const change = command === 'password' ? { password: await readPassword() } : { active: command === 'enable' }
    console.log(describe(await store.update(username!, change, actor)))
  },
  () => services.close(),
)
