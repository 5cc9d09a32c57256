import { execFile } from 'node:child_process'
import { access, cp, mkdtemp, rename, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import mysql from 'mysql2/promise'
import { startChildService } from '../../helpers/child-service.ts'
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
  const ready = async () => {
    const conn = await mysql.createConnection(url).catch(() => undefined)
    await conn?.end()
    return conn !== undefined
  }
  // A SIGKILLed server rolls back whatever was not committed when it starts again.
  const service = await startChildService({ name: 'mariadbd', command: binary, args, port, dir, ready, startTimeoutMs: 30_000 })
  return { url, ...service }
}

export type PrivateMariadb = Awaited<ReturnType<typeof startPrivateMariadb>>
