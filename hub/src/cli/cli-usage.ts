import { pino } from 'pino'
import { commandLine, type CommandLineOptions } from '@wh/shared/cli'
import { loadConfig, type Config } from '../config.ts'
import { HubError } from '../errors.ts'

/** A CLI's log: warnings and errors on stderr, so stdout stays the command's output. */
export const cliLog = (config: Config) => pino({ level: config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL }, pino.destination(2))

/**
 * What the admin CLIs share: their arguments read as every program's are (`commandLine`: `--help`
 * prints the usage, a usage error prints why and the usage and exits 2), and so does a
 * configuration that does not load.
 */
export function cliUsage<const O extends CommandLineOptions, const P extends boolean = false>(
  usage: string,
  options: O,
  how: { positionals?: P } = {},
) {
  return {
    ...commandLine(usage, options, how),
    configOrExit(): Config {
      try {
        return loadConfig()
      } catch (err) {
        console.error((err as Error).message)
        return process.exit(2)
      }
    },
  }
}

/** Driver errors that mean the database was never set up, wrapped or not (drizzle keeps the driver's as `cause`). */
const NOT_SET_UP = new Set(['ER_NO_SUCH_TABLE', 'ER_BAD_DB_ERROR'])

/** What a failed admin command prints: a domain error's message and code, a hint for an unmigrated database, else the error. */
function failureMessage(err: unknown): unknown {
  if (err instanceof HubError) return `${err.message} (${err.code})`
  const driver = (err as { cause?: { code?: string; message?: string } }).cause ?? (err as { code?: string; message?: string })
  if (driver?.code && NOT_SET_UP.has(driver.code)) return `the database is not set up (${driver.message}): run \`npm run migrate\` first`
  return err
}

/**
 * Runs a command to its end: a failure is printed (see `failureMessage`) and exits 1, success 0;
 * the database connection is closed either way.
 */
export async function runToExit(command: () => Promise<void>, close: () => Promise<void>): Promise<never> {
  let code = 0
  try {
    await command()
  } catch (err) {
    console.error(failureMessage(err))
    code = 1
  } finally {
    await close()
  }
  return process.exit(code)
}
