import { readdirSync, readFileSync, statSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

const root = new URL('../../', import.meta.url)
const read = (path: string) => readFileSync(new URL(path, root), 'utf8')
const folders = (path: string) =>
  readdirSync(new URL(path, root))
    .filter((name) => statSync(new URL(`${path}/${name}`, root)).isDirectory())
    .sort()

/** The folders a markdown table's first column names, as `name/`. */
const tableFolders = (markdown: string) => [...markdown.matchAll(/^\| `([a-z-]+)\/`/gm)].map((m) => m[1]!)

describe('the map of the code matches the tree', () => {
  it("the README's hub/src table names every folder of hub/src, and only those", () => {
    const readme = read('README.md')
    const section = readme.slice(readme.indexOf('### `hub/src`'), readme.indexOf('## Docs'))
    expect(tableFolders(section).sort()).toEqual(folders('hub/src'))
  })

  it('every hub/src folder the architecture page names exists', () => {
    const named = [...read('docs/architecture.md').matchAll(/`([a-z-]+)\/`/g)].map((m) => m[1]!)
    // Top folders, and the subfolders the page names in passing (`handlers/` of ingest).
    const known = new Set(folders('hub/src').flatMap((top) => [top, ...folders(`hub/src/${top}`)]))
    expect(named.length).toBeGreaterThan(5)
    expect(named.filter((name) => !known.has(name))).toEqual([])
  })
})
