import { loadConfig, type Env } from './config.ts'
import { buildApp } from './app.ts'

/**
 * Runs the hub as a process: logger, listen, signals, shutdown. `server.ts` and `worker.ts` are
 * this with different roles.
 */
export async function runProcess(overrides: Partial<Env> = {}): Promise<void> {
  const config = loadConfig(process.env, overrides)
  const app = await buildApp(config, {
    logger: {
      level: config.LOG_LEVEL,
      ...(process.stdout.isTTY
        ? { transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' } } }
        : {}),
    },
  })
  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    app.log.info({ signal }, 'shutting down')
    const force = setTimeout(() => process.exit(1), 10_000).unref()
    app.close().then(
      () => {
        clearTimeout(force)
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
    app.log.info({ roles: [...config.roles] }, 'hub process running')
  }
}
