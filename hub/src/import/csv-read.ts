import { isUtf8 } from 'node:buffer'
import { parse } from 'csv-parse'
import type { ImportKind, ImportProblem } from '@wh/shared'
import { CSV_FORMATS } from './csv-formats.ts'

/** No catalog field is near this long; a longer cell is refused before its schema reads it. */
const FIELD_MAX = 1000

/** A data row of a file: where it starts, and its cells by column name (empty cells left out). */
export interface CsvRow {
  line: number
  cells: Map<string, string>
}

export type Problems = (p: Omit<ImportProblem, 'kind'>) => void

/** The lines holding bytes that are not UTF-8 (a file saved as Latin-1 or Windows-1252, say). */
function badlyEncodedLines(data: Buffer): number[] {
  if (isUtf8(data)) return []
  const lines: number[] = []
  let start = 0
  for (let line = 1; start <= data.length; line++) {
    const end = data.indexOf(10, start)
    const stop = end === -1 ? data.length : end
    if (!isUtf8(data.subarray(start, stop))) lines.push(line)
    start = stop + 1
  }
  return lines
}

/** The header's columns, each known to the kind's format; the problems of a header that is not. */
function readHeader(kind: ImportKind, names: string[], problem: Problems): string[] | undefined {
  const format = CSV_FORMATS[kind]
  const known = new Set(format.columns.map((c) => c.name))
  let ok = true
  names.forEach((name, i) => {
    const perSite = format.perSite && name.startsWith(format.perSite.prefix)
    if (!known.has(name) && !perSite) {
      problem({
        line: 1,
        column: name,
        code: 'UNKNOWN_COLUMN',
        reason: `column ${i + 1}, "${name.slice(0, 64)}", is not a column of ${kind}`,
      })
      ok = false
    } else if (names.indexOf(name) !== i) {
      problem({ line: 1, column: name, code: 'MALFORMED_CSV', reason: `column ${name} is named twice` })
      ok = false
    }
  })
  for (const c of format.columns) {
    if (c.required && !names.includes(c.name)) {
      problem({ line: 1, column: c.name, code: 'MISSING_COLUMN', reason: `the header has no ${c.name} column` })
      ok = false
    }
  }
  return ok ? names : undefined
}

/**
 * The rows of one CSV file (RFC 4180, with a header, UTF-8 with or without a BOM), streamed from
 * the parser so a million rows are never all held as records. Whatever makes a row unreadable
 * (bytes that are not UTF-8, fields missing or extra, a field too long) is reported and the row is
 * not yielded; a file whose header is wrong yields nothing. `onHeader` is told a good header's columns.
 */
export async function* readCsv(
  kind: ImportKind,
  data: Buffer,
  problem: Problems,
  onHeader?: (names: string[]) => void,
): AsyncGenerator<CsvRow> {
  const badLines = badlyEncodedLines(data)
  for (const line of badLines) problem({ line, code: 'BAD_ENCODING', reason: 'the line is not valid UTF-8 (save the file as UTF-8)' })
  const bad = new Set(badLines)
  const parser = parse(data.toString('utf8'), {
    bom: true,
    trim: true,
    relax_column_count: true,
    skip_empty_lines: true,
    info: true,
    raw: true,
  })
  let header: string[] | undefined
  try {
    for await (const { record, info, raw } of parser as AsyncIterable<{ record: string[]; info: { lines: number }; raw: string }>) {
      // The parser counts the line a record ends on; its raw text (after any blank lines skipped before it) says where it began.
      const text = raw.slice(/^\s*\n/.exec(raw)?.[0].length ?? 0)
      const line = info.lines - (text.match(/\n/g)?.length ?? 0) + (text.endsWith('\n') ? 1 : 0)
      if (header === undefined) {
        header = readHeader(kind, record, problem) ?? []
        if (header.length === 0) return
        onHeader?.(header)
        continue
      }
      if (bad.has(line)) continue
      const row = readRow(header, record, line, problem)
      if (row) yield row
    }
  } catch (err) {
    const { lines, message } = err as { lines?: number; message: string }
    problem({ line: lines ?? 1, code: 'MALFORMED_CSV', reason: message })
    return
  }
  if (header === undefined) problem({ line: 1, code: 'EMPTY_FILE', reason: 'the file has no header line' })
}

function readRow(header: string[], record: string[], line: number, problem: Problems): CsvRow | undefined {
  let ok = true
  for (let i = record.length; i < header.length; i++) {
    problem({ line, column: header[i], code: 'MISSING_COLUMN', reason: `the row has ${record.length} fields, the header ${header.length}` })
    ok = false
  }
  if (record.length > header.length) {
    problem({ line, code: 'EXTRA_FIELD', reason: `the row has ${record.length} fields, the header ${header.length}` })
    ok = false
  }
  const cells = new Map<string, string>()
  record.forEach((text, i) => {
    if (i >= header.length) return
    if (text.length > FIELD_MAX) {
      problem({ line, column: header[i], code: 'FIELD_TOO_LONG', reason: `${text.length} characters, at most ${FIELD_MAX}` })
      ok = false
    } else if (text !== '') cells.set(header[i]!, text)
  })
  return ok ? { line, cells } : undefined
}
