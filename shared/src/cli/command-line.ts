import { parseArgs, type ParseArgsConfig } from 'node:util'

/** A program's options, as node's `parseArgs` takes them. */
export type CommandLineOptions = NonNullable<ParseArgsConfig['options']>

const HELP = { help: { type: 'boolean', short: 'h' } } as const

/** parseArgs throws these for what the user typed (unknown option, missing value, stray argument). */
const isUsageError = (err: unknown) => String((err as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS_')

/**
 * How every command-line program (the hub's admin CLIs, the simulator, the handheld, the bench)
 * reads its arguments, so they all answer alike: node's parseArgs, strict, plus `--help`, which
 * prints the usage on stdout and exits 0. A usage error prints the reason and the usage on stderr
 * and exits 2, and `fail` does the same for the program's own checks of the values. The program
 * calls this before it opens, reads or writes anything, so a mistyped command does nothing.
 */
export function commandLine<const O extends CommandLineOptions, const P extends boolean = false>(
  usage: string,
  options: O,
  how: { positionals?: P } = {},
) {
  const fail = (reason: string): never => {
    console.error(`${reason}\n\n${usage}`)
    return process.exit(2)
  }
  const config = {
    args: process.argv.slice(2),
    options: { ...options, ...HELP },
    strict: true,
    allowPositionals: (how.positionals ?? false) as P,
  } as const
  let parsed: ReturnType<typeof parseArgs<typeof config>>
  try {
    parsed = parseArgs(config)
  } catch (err) {
    if (!isUsageError(err)) throw err
    return fail((err as Error).message)
  }
  if ((parsed.values as { help?: boolean }).help) {
    console.log(usage)
    process.exit(0)
  }
  return { values: parsed.values, positionals: parsed.positionals, fail }
}

/** A whole number of at least `min` given as `--name`, or the usage error saying it is not. */
export function wholeNumber(fail: (reason: string) => never, name: string, text: string | undefined, min = 0): number {
  const n = Number(text)
  return Number.isInteger(n) && n >= min && text?.trim() !== '' ? n : fail(`--${name} must be a whole number >= ${min}, got ${text}`)
}
