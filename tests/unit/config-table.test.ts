import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const START = '<!-- config-table:start -->'
const END = '<!-- config-table:end -->'

/** A markdown table's rows as trimmed cells, without the separator row: prettier pads cells, the generator does not. */
function rows(table: string): string[][] {
  return table
    .split('\n')
    .filter((line) => line.trim().startsWith('|'))
    .map((line) =>
      line
        .trim()
        .split(/(?<!\\)\|/)
        .slice(1, -1)
        .map((cell) => cell.trim()),
    )
    .filter((cells) => !cells.every((cell) => /^:?-+:?$/.test(cell)))
}

describe('the configuration table in docs/operations.md', () => {
  it('is the one `npm run config:table` prints from the env schema', () => {
    const generated = execFileSync(process.execPath, ['--import', 'tsx', 'hub/src/cli/config-table.ts'], { cwd: ROOT, encoding: 'utf8' })
    const doc = readFileSync(`${ROOT}docs/operations.md`, 'utf8')
    const start = doc.indexOf(START)
    const end = doc.indexOf(END)
    expect(start, `${START} … ${END} in docs/operations.md`).toBeGreaterThanOrEqual(0)
    expect(end).toBeGreaterThan(start)
    const expected = rows(generated)
    expect(expected.length).toBeGreaterThan(1)
    expect(rows(doc.slice(start + START.length, end)), 'run `npm run config:table` and paste its output into docs/operations.md').toEqual(
      expected,
    )
  }, 30_000) // It starts a node process that loads TypeScript: seconds on a busy machine.
})
