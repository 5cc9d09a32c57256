import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createClient } from 'redis'
import { freePort } from '../../helpers/free-port.ts'
import { findBinary } from './binaries.ts'

export interface PrivateRedisOptions {
  /**
   * `aof`: appendonly with fsync every second, as production should run (RELIABILITY.md), so a
   * SIGKILL loses at most about a second. `none`: nothing survives a restart, the worst case.
   * @defaultValue 'aof'
   */
  persistence?: 'aof' | 'none'
}

/**
 * A redis-server of the test's own on a free loopback port, its files in a temp folder, so a test
 * can restart it gracefully (SHUTDOWN, which writes its data out) or SIGKILL it.
 */
export async function startPrivateRedis(options: PrivateRedisOptions = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'wh-redis-'))
  const port = await freePort()
  const binary = await findBinary('redis-server')
  const url = `redis://127.0.0.1:${port}`
  const persistence =
    options.persistence === 'none'
      ? ['--save', '', '--appendonly', 'no']
      : ['--save', '', '--appendonly', 'yes', '--appendfsync', 'everysec']
  let child: ChildProcess | undefined
  let log = ''
  const orphanGuard = () => child?.kill('SIGKILL')
  process.once('exit', orphanGuard)

  async function start() {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--maxmemory-policy', 'noeviction', ...persistence]
    const started = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    child = started
    for (const s of [started.stdout!, started.stderr!]) s.on('data', (c: Buffer) => (log = (log + c.toString()).slice(-20_000)))
    const deadline = Date.now() + 10_000
    for (;;) {
      if (started.exitCode !== null) throw new Error(`private redis exited at start:\n${log}`)
      const probe = createClient({ url, socket: { reconnectStrategy: false } })
      probe.on('error', () => undefined)
      const ok = await probe.connect().then(
        async () => (await probe.ping()) === 'PONG',
        () => false,
      )
      await probe.close().catch(() => undefined)
      if (ok) return
      if (Date.now() > deadline) throw new Error(`private redis did not start on ${port}:\n${log}`)
      await new Promise((r) => setTimeout(r, 50))
    }
  }

  async function stop(signal: NodeJS.Signals = 'SIGTERM') {
    const running = child
    if (!running || running.exitCode !== null || running.signalCode !== null) return
    await new Promise((resolve) => {
      running.once('exit', resolve)
      running.kill(signal) // SIGTERM is redis' SHUTDOWN: it fsyncs the AOF before it exits
    })
  }

  await start()
  return {
    url,
    port,
    log: () => log,
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

export type PrivateRedis = Awaited<ReturnType<typeof startPrivateRedis>>
