import { mkdtemp, writeFile } from 'node:fs/promises'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startChildService } from './child-service.ts'
import { freePort } from './free-port.ts'

const answers = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.destroy() && resolve(true))
    socket.on('error', () => resolve(false))
  })

export interface PrivateMosquittoOptions {
  /**
   * Keep sessions and queued messages in a snapshot file (written every `autosave_interval`
   * seconds and on a graceful stop), as a production broker would; a SIGKILL loses what came
   * after the last snapshot. @defaultValue false
   */
  persistence?: boolean
  /**
   * The whole configuration instead of the open one, given the port to listen on and the
   * broker's private folder (for password and ACL files): e.g. the repository's secured broker.
   */
  config?: (where: { port: number; dir: string }) => string | Promise<string>
}

/**
 * A Mosquitto of this test's own on a free loopback port, so the test can stop, restart or kill
 * the broker without touching the shared one other tests use.
 */
export async function startPrivateMosquitto(options: PrivateMosquittoOptions = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'wh-mosquitto-'))
  const port = await freePort()
  const config = join(dir, 'mosquitto.conf')
  const persistence = options.persistence ? `persistence true\npersistence_location ${dir}/\nautosave_interval 2\n` : 'persistence false\n'
  await writeFile(
    config,
    options.config
      ? await options.config({ port, dir })
      : `listener ${port} 127.0.0.1\nallow_anonymous true\n${persistence}max_queued_messages 100000\nset_tcp_nodelay true\n`,
  )
  const service = await startChildService({
    name: 'mosquitto',
    command: 'mosquitto',
    args: ['-c', config],
    port,
    dir,
    ready: () => answers(port),
  })
  return { url: `mqtt://127.0.0.1:${port}`, ...service }
}
