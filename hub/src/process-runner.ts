import { ConfigError, loadConfig, processEnv, type Config, type Env } from './config.ts'
import { buildApp } from './app.ts'

/**
 * Past this the process exits anyway (code 1): under the 10 s an orchestrator gives between
 * SIGTERM and SIGKILL (`docker stop`'s default). What is unfinished then is safe: jobs go back to
 * their queues when their lock lapses, and devices resend what was never acked.
 */
const SHUTDOWN_DEADLINE_MS = 9000

/** Prints one line per problem of a refused configuration. */
function reportConfig(err: unknown): void {
  const problems = err instanceof ConfigError ? err.problems : [(err as Error).message]
  process.stderr.write(`hub: invalid configuration (see the configuration table in docs/operations.md):\n`)
  for (const problem of problems) process.stderr.write(`  - ${problem}\n`)
}

/** The settings (the environment's, and `.env`'s where it has none), or (having printed one line per problem) undefined. */
function configOrReport(overrides: Partial<Env>): Config | undefined {
  try {
    return loadConfig(processEnv(), overrides)
  } catch (err) {
    reportConfig(err)
    return undefined
  }
}

/**
 * Runs the hub as a process: logger, listen, signals, shutdown. `server.ts` and `worker.ts` are
 * this with different roles. Shutdown is the app's close: intake stops first (MQTT), then the
 * workers finish their batch in hand, then sockets and connections close (see the plugins' hooks).
 */
export async function runProcess(overrides: Partial<Env> = {}): Promise<void> {
  const config = configOrReport(overrides)
  if (!config) {
    process.exitCode = 2
    return
  }
  const app = await buildApp(config, {
    logger: {
      level: config.LOG_LEVEL,
      ...(process.stdout.isTTY
        ? { transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' } } }
        : {}),
    },
  }).catch((err: unknown) => {
    // Settings only found wrong when used (an unreadable certificate file) are reported as the others.
    if (!(err instanceof ConfigError)) throw err
    reportConfig(err)
    process.exitCode = 2
  })
  if (!app) return
  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    const started = Date.now()
    app.log.info({ signal }, 'shutting down')
    const force = setTimeout(() => {
      app.log.error({ afterMs: Date.now() - started }, 'shutdown deadline passed; exiting')
      process.exit(1)
    }, SHUTDOWN_DEADLINE_MS).unref()
    app.close().then(
      () => {
        clearTimeout(force)
        app.log.info({ tookMs: Date.now() - started }, 'shut down')
        process.exit(0)
      },
      (err) => {
        app.log.error({ err }, 'shutdown failed')
        process.exit(1)
      },
    )
  }
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGINT'))
  if (config.roles.has('api')) {
    await app.listen({ host: config.HTTP_HOST, port: config.HTTP_PORT })
  } else {
    if (config.METRICS_PORT > 0) await app.listen({ host: config.HTTP_HOST, port: config.METRICS_PORT })
    app.log.info({ roles: [...config.roles] }, 'hub process running')
  }
}
