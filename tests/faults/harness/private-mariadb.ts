import { spawn, execFile, type ChildProcess } from 'node:child_process'
import { access, cp, mkdtemp, rename, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import mysql from 'mysql2/promise'
import { freePort } from '../../helpers/free-port.ts'
import { findBinary } from './binaries.ts'

const run = promisify(execFile)

/** Small and quick: the fault tests need a real InnoDB they can kill, not a fast one. */
const SERVER_OPTIONS = ['--innodb-buffer-pool-size=32M', '--innodb-log-file-size=8M', '--skip-name-resolve', '--skip-grant-tables']

let template: Promise<string> | undefined

/**
 * An initialised, empty datadir, made once per machine (`mariadb-install-db` takes seconds) and
 * copied for each instance. Made under a temporary name and renamed, so concurrent runs never
 * see half of one.
 */
function datadirTemplate(): Promise<string> {
  template ??= (async () => {
    const installer = await findBinary('mariadb-install-db', 'mysql_install_db')
    const { stdout } = await run(await findBinary('mariadbd', 'mysqld'), ['--version'])
    const version = (/Ver\s+(\S+)/.exec(stdout)?.[1] ?? 'unknown').replace(/[^\w.-]/g, '')
    const dir = join(tmpdir(), `wh-mariadb-template-${version}`)
    if (await exists(join(dir, 'mysql'))) return dir
    const staging = await mkdtemp(join(tmpdir(), 'wh-mariadb-staging-'))
    await run(installer, [
      '--no-defaults',
      `--datadir=${staging}/data`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
      ...(process.getuid?.() === 0 ? ['--user=root'] : []),
      '--innodb-log-file-size=8M',
    ])
    await rename(`${staging}/data`, dir).catch(async (err: NodeJS.ErrnoException) => {
      if (!(await exists(join(dir, 'mysql')))) throw err // another run made it first: use theirs
    })
    await rm(staging, { recursive: true, force: true })
    return dir
  })()
  return template
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  )

/**
 * A MariaDB server of the test's own on a free loopback port with its datadir in a temp folder,
 * so a test can SIGKILL it mid-transaction and start it again on the same data (crash recovery).
 * Grant tables are skipped: root from anywhere, no password.
 */
export async function startPrivateMariadb() {
  const dir = await mkdtemp(join(tmpdir(), 'wh-mariadb-'))
  const datadir = join(dir, 'data')
  await cp(await datadirTemplate(), datadir, { recursive: true })
  const port = await freePort()
  const binary = await findBinary('mariadbd', 'mysqld')
  const url = `mysql://root@127.0.0.1:${port}`
  let child: ChildProcess | undefined
  let log = ''
  const orphanGuard = () => child?.kill('SIGKILL')
  process.once('exit', orphanGuard)

  async function start() {
    const args = [
      '--no-defaults',
      `--datadir=${datadir}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--socket=${join(dir, 'mysqld.sock')}`,
      `--pid-file=${join(dir, 'mysqld.pid')}`,
      ...(process.getuid?.() === 0 ? ['--user=root'] : []),
      ...SERVER_OPTIONS,
    ]
    const started = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] })
    child = started
    started.stderr!.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-20_000)))
    const deadline = Date.now() + 30_000
    for (;;) {
      if (started.exitCode !== null) throw new Error(`private mariadbd exited at start:\n${log}`)
      const conn = await mysql.createConnection(url).catch(() => undefined)
      if (conn) {
        await conn.end()
        return
      }
      if (Date.now() > deadline) throw new Error(`private mariadbd did not start on ${port}:\n${log}`)
      await new Promise((r) => setTimeout(r, 50))
    }
  }

  async function stop(signal: NodeJS.Signals = 'SIGTERM') {
    const running = child
    if (!running || running.exitCode !== null || running.signalCode !== null) return
    await new Promise((resolve) => {
      running.once('exit', resolve)
      running.kill(signal)
    })
  }

  await start()
  return {
    url,
    port,
    log: () => log,
    /** SIGKILL: InnoDB rolls back whatever was not committed when it starts again. */
    kill: () => stop('SIGKILL'),
    stop,
    start,
    async restart(signal: NodeJS.Signals = 'SIGTERM') {
      await stop(signal)
      await start()
    },
    async close() {
      process.off('exit', orphanGuard)
      await stop('SIGKILL')
      await rm(dir, { recursive: true, force: true })
    },
  }
}

export type PrivateMariadb = Awaited<ReturnType<typeof startPrivateMariadb>>
