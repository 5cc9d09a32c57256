import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { ImportKinds, type ImportKind } from '@wh/shared'
import type { ImportFile } from './import-check.ts'

export const isImportKind = (kind: string): kind is ImportKind => (ImportKinds as readonly string[]).includes(kind)

/** The files of a warehouse folder: `sites.csv`, `locations.csv`, `products.csv`, `gtins.csv`, `stock.csv`, whichever are there. */
export async function readImportFolder(dir: string): Promise<ImportFile[]> {
  const names = new Set(await readdir(dir))
  const kinds = ImportKinds.filter((kind) => names.has(`${kind}.csv`))
  return Promise.all(kinds.map(async (kind) => ({ kind, data: await readFile(join(dir, `${kind}.csv`)) })))
}
