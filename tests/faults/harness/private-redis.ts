import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createClient } from 'redis'
import { startChildService } from '../../helpers/child-service.ts'
import { freePort } from '../../helpers/free-port.ts'
import { findBinary } from './binaries.ts'

export interface PrivateRedisOptions {
  /**
   * `aof`: appendonly with fsync every second, as production should run (docs/reliability.md), so a
   * SIGKILL loses at most about a second. `none`: nothing survives a restart, the worst case.
   * @defaultValue 'aof'
   */
  persistence?: 'aof' | 'none'
}

/**
 * A redis-server of the test's own on a free loopback port, its files in a temp folder, so a test
 * can restart it gracefully (SIGTERM is SHUTDOWN, which fsyncs the AOF) or SIGKILL it.
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
  const service = await startChildService({
    name: 'redis',
    command: binary,
    args: ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--maxmemory-policy', 'noeviction', ...persistence],
    port,
    dir,
    ready: async () => {
      const probe = createClient({ url, socket: { reconnectStrategy: false } })
      probe.on('error', () => undefined)
      // A restarted redis answers PING with LOADING until its AOF is read back: not ready yet.
      const ok = await probe.connect().then(
        async () => (await probe.ping().catch(() => '')) === 'PONG',
        () => false,
      )
      await probe.close().catch(() => undefined)
      return ok
    },
  })
  return { url, ...service }
}

export type PrivateRedis = Awaited<ReturnType<typeof startPrivateRedis>>
