import { readFile } from 'node:fs/promises'
import { createSecureContext } from 'node:tls'
import { ConfigError, type Config } from '../config.ts'

/**
 * Fastify's `https` option from TLS_CERT_FILE and TLS_KEY_FILE, or nothing (plain HTTP) when they
 * are unset. Only for a process that serves the API: METRICS_PORT stays plain HTTP. A file that
 * cannot be read, or a key that does not match its certificate, stops the boot with a ConfigError.
 */
export async function httpsOptions(config: Config): Promise<{ https?: { cert: Buffer; key: Buffer } }> {
  const { TLS_CERT_FILE, TLS_KEY_FILE } = config
  if (!config.roles.has('api') || TLS_CERT_FILE === undefined || TLS_KEY_FILE === undefined) return {}
  const problems: string[] = []
  const read = (setting: string, path: string) =>
    readFile(path).catch((err: NodeJS.ErrnoException) => {
      problems.push(`${setting} cannot be read (${path}): ${err.code ?? err.message}`)
    })
  const [cert, key] = await Promise.all([read('TLS_CERT_FILE', TLS_CERT_FILE), read('TLS_KEY_FILE', TLS_KEY_FILE)])
  if (!cert || !key) throw new ConfigError(problems)
  try {
    createSecureContext({ cert, key })
  } catch (err) {
    throw new ConfigError([`TLS_CERT_FILE and TLS_KEY_FILE are not a PEM certificate and its key: ${(err as Error).message}`])
  }
  return { https: { cert, key } }
}
