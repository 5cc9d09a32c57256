import { loadConfig, type Config } from '../config.ts'

/**
 * What the admin CLIs share: `--help` prints the usage, a usage error prints why and the usage
 * and exits 2, and so does a configuration that does not load.
 */
export function cliUsage(usage: string) {
  const fail = (message: string): never => {
    console.error(`${message}\n\n${usage}`)
    process.exit(2)
  }
  return {
    fail,
    help(asked: boolean | undefined) {
      if (!asked) return
      console.log(usage)
      process.exit(0)
    },
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
