import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Redis } from './redis-client.ts'

/** The scripts, one `.lua` file each; `includes/` holds the pieces several scripts share. */
export const SCRIPTS_DIR = join(import.meta.dirname, 'scripts')

/** A line `--- @include "includes/name"`, as bullmq writes them: replaced by that file. */
export const INCLUDE_LINE = /^--- @include "([^"]+)"$/gm

const files = new Map<string, string>()
/** Each file is read once, however many scripts include it. */
function read(name: string): string {
  let text = files.get(name)
  if (text === undefined) files.set(name, (text = readFileSync(join(SCRIPTS_DIR, `${name}.lua`), 'utf8')))
  return text
}

/**
 * A script's source as Redis runs it, its include lines replaced by the files they name. Code
 * that several scripts share is included, not copied, so a fix reaches every script that uses it.
 * Written here: bullmq resolves the same lines but does not export its loader. One level only (an
 * include names no include), so the resolved source reads top to bottom.
 */
function resolve(name: string): string {
  return read(name).replace(INCLUDE_LINE, (_line, include: string) => {
    const text = read(include)
    if (text.includes('--- @include')) throw new Error(`lua include ${include} (in ${name}) includes another file: one level only`)
    return text.replace(/\n$/, '')
  })
}

export interface LuaScript<Keys extends string[], Args extends (string | number)[], Reply> {
  (client: Redis, keys: Keys, args: Args): Promise<Reply>
  /** The file's name under SCRIPTS_DIR, without `.lua`. */
  readonly file: string
  /** The source sent to Redis, includes resolved. */
  readonly source: string
}

/**
 * A script read from its file once, at module load, and run by SHA; sent whole only when Redis
 * answers NOSCRIPT (first use, or a restarted Redis that lost its script cache). The reply is
 * typed as the script's header comment states it: this is the one place it is trusted.
 * Scripts build some key names from a prefix argument, which suits one Redis server (not Redis
 * Cluster, where every key must be declared).
 */
export function luaScript<Keys extends string[], Args extends (string | number)[], Reply>(file: string): LuaScript<Keys, Args, Reply> {
  const source = resolve(file)
  const sha = createHash('sha1').update(source).digest('hex')
  const run = async (client: Redis, keys: Keys, args: Args): Promise<Reply> => {
    const options = { keys, arguments: args.map(String) }
    try {
      return (await client.evalSha(sha, options)) as Reply
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err
      return (await client.eval(source, options)) as Reply
    }
  }
  return Object.assign(run, { file, source })
}
