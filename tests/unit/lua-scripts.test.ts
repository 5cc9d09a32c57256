import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import luaparse from 'luaparse'
import { describe, expect, it } from 'vitest'
import { INCLUDE_LINE, SCRIPTS_DIR } from '../../hub/src/redis/lua-script.ts'
import { scripts } from '../../hub/src/redis/scripts.ts'

/** The `.lua` files of a folder under the scripts folder, named as the loader names them. */
const luaFiles = (folder: string) =>
  readdirSync(join(SCRIPTS_DIR, folder))
    .filter((f) => f.endsWith('.lua'))
    .map((f) => join(folder, f.slice(0, -'.lua'.length)))
const scriptFiles = luaFiles('.')
const includeFiles = luaFiles('includes')
const text = (name: string) => readFileSync(join(SCRIPTS_DIR, `${name}.lua`), 'utf8')
const wrappers = Object.values(scripts)

// What a script may name without declaring it: Redis's Lua 5.1 base library and the modules it
// loads. Redis 7 refuses a script that reads or creates any other global, but only when that line
// runs; a misspelt local or a forgotten `local` shows up here instead.
const REDIS_GLOBALS = new Set(
  [
    'redis KEYS ARGV cjson cmsgpack bit struct string math table',
    'assert error ipairs next pairs pcall rawequal rawget rawset select setmetatable getmetatable tonumber tostring type unpack xpcall',
  ]
    .join(' ')
    .split(' '),
)

describe('Lua scripts', () => {
  it('gives every script file one wrapper, and every wrapper a file', () => {
    expect(wrappers.map((s) => s.file).sort()).toEqual([...scriptFiles].sort())
  })

  it('includes every shared file somewhere, and includes only files that exist', () => {
    const included = new Set(scriptFiles.flatMap((name) => [...text(name).matchAll(INCLUDE_LINE)].map((m) => m[1])))
    expect([...included].sort()).toEqual([...includeFiles].sort())
  })

  it.each(scriptFiles)('%s states its KEYS, ARGV and reply in its header', (name) => {
    const header = text(name).slice(0, text(name).search(/^[^-]/m))
    expect(header).toMatch(/^-- \S/)
    for (const part of [/^-- KEYS: /m, /^-- ARGV: /m, /^-- Returns /m]) expect(header).toMatch(part)
  })

  it.each([...scriptFiles, ...includeFiles])('%s parses as Lua 5.1 (the version Redis embeds)', (name) => {
    expect(() => luaparse.parse(text(name), { luaVersion: '5.1' })).not.toThrow()
  })

  it.each(wrappers.map((s) => [s.file, s.source]))('%s, as sent to Redis, parses and names only globals Redis provides', (_, source) => {
    // luaparse lists the chunk's globals when `scope` is on; @types/luaparse leaves the member out.
    const chunk = luaparse.parse(source, { luaVersion: '5.1', scope: true }) as luaparse.Chunk & { globals: luaparse.Identifier[] }
    expect(chunk.globals.map((g) => g.name).filter((g) => !REDIS_GLOBALS.has(g))).toEqual([])
    expect(source).not.toContain('--- @include')
  })
})
