import { spawn, type ChildProcess } from 'node:child_process'
import { rm } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'

export interface ChildServiceSpec {
  /** For messages: `private <name> did not start`. */
  name: string
  command: string
  args: string[]
  port: number
  /** The service's own folder (data, config), removed on `close`. */
  dir: string
  /** True once the service answers on its port. */
  ready: () => Promise<boolean>
  /** @defaultValue 10000 */
  startTimeoutMs?: number
}

/**
 * A service (mariadbd, redis-server, mosquitto) run as this process's child on a loopback port,
 * so a test can stop, restart or SIGKILL it without touching the shared one other tests use. It
 * never outlives this process.
 */
export async function startChildService(spec: ChildServiceSpec) {
  let child: ChildProcess | undefined
  let log = ''
  const orphanGuard = () => child?.kill('SIGKILL')
  process.once('exit', orphanGuard)

  async function start() {
    const started = spawn(spec.command, spec.args, { stdio: ['ignore', 'pipe', 'pipe'] })
    child = started
    for (const s of [started.stdout!, started.stderr!]) s.on('data', (c: Buffer) => (log = (log + c.toString()).slice(-20_000)))
    const deadline = Date.now() + (spec.startTimeoutMs ?? 10_000)
    for (;;) {
      if (started.exitCode !== null) throw new Error(`private ${spec.name} exited at start:\n${log}`)
      if (await spec.ready()) return
      if (Date.now() > deadline) throw new Error(`private ${spec.name} did not start on ${spec.port}:\n${log}`)
      await sleep(50)
    }
  }

  /** SIGTERM is the service's own graceful shutdown (redis writes its AOF out, mosquitto its snapshot). */
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
    port: spec.port,
    log: () => log,
    start,
    stop,
    /** A crash: no goodbye to the clients, nothing written out. */
    kill: () => stop('SIGKILL'),
    async restart(signal: NodeJS.Signals = 'SIGTERM') {
      await stop(signal)
      await start()
    },
    async close() {
      process.off('exit', orphanGuard)
      await stop('SIGKILL')
      await rm(spec.dir, { recursive: true, force: true })
    },
  }
}
