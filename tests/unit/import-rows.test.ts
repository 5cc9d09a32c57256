import { describe, expect, it } from 'vitest'
import type { ImportKind, ImportProblem } from '@wh/shared'
import { readCsv, type CsvRow } from '../../hub/src/import/csv-read.ts'
import { checkRow } from '../../hub/src/import/row-check.ts'

type Problem = Omit<ImportProblem, 'kind'>

async function read(kind: ImportKind, text: string | Buffer) {
  const problems: Problem[] = []
  const rows: CsvRow[] = []
  for await (const row of readCsv(kind, Buffer.isBuffer(text) ? text : Buffer.from(text), (p) => problems.push(p))) rows.push(row)
  return { rows, problems }
}

function check(kind: ImportKind, cells: Record<string, string>) {
  const problems: Problem[] = []
  const record = checkRow(kind, { line: 2, cells: new Map(Object.entries(cells)) }, (p) => problems.push(p))
  return { record, problems: problems.map((p) => `${p.column} ${p.code} ${p.reason}`) }
}

describe('reading an import file', () => {
  it('numbers each row by the line it starts on, past blank lines and quoted line breaks, and trims cells', async () => {
    const { rows, problems } = await read('sites', '\ufeffcode,name\ns1, First \n\ns2,"Two\nlines"\ns3,Third\n')
    expect(problems).toEqual([])
    expect(rows.map((r) => [r.line, r.cells.get('code'), r.cells.get('name')])).toEqual([
      [2, 's1', 'First'],
      [4, 's2', 'Two\nlines'],
      [6, 's3', 'Third'],
    ])
  })

  it('names the lines that are not UTF-8 and leaves them out', async () => {
    const data = Buffer.concat([Buffer.from('code,name\ns1,One\n'), Buffer.from('s2,Caf\xe9\n', 'latin1'), Buffer.from('s3,Three\n')])
    const { rows, problems } = await read('sites', data)
    expect(problems).toEqual([{ line: 3, code: 'BAD_ENCODING', reason: expect.stringMatching(/UTF-8/) }])
    expect(rows.map((r) => r.line)).toEqual([2, 4])
  })

  it('refuses a header with a missing, unknown or repeated column, and reads no rows under it', async () => {
    const { rows, problems } = await read('locations', 'site,colour,site\ndc1,red,dc1\n')
    expect(problems.map((p) => `${p.line} ${p.column} ${p.code}`)).toEqual([
      '1 colour UNKNOWN_COLUMN',
      '1 site MALFORMED_CSV',
      '1 code MISSING_COLUMN',
    ])
    expect(rows).toEqual([])
  })

  it('refuses rows with fields missing or extra, or a field past 1,000 characters', async () => {
    const { rows, problems } = await read(
      'sites',
      `code,name,active\ns1,One\ns2,Two,true,extra\ns3,${'x'.repeat(10_000)},true\ns4,Four,false\n`,
    )
    expect(problems.map((p) => `${p.line} ${p.column ?? '-'} ${p.code}`)).toEqual([
      '2 active MISSING_COLUMN',
      '3 - EXTRA_FIELD',
      '4 name FIELD_TOO_LONG',
    ])
    expect(rows.map((r) => r.line)).toEqual([5])
  })

  it('reports a quote left open as a malformed file, with the line it opened on', async () => {
    const { problems } = await read('sites', 'code,name\ns1,"One\n')
    expect(problems).toEqual([{ line: 2, code: 'MALFORMED_CSV', reason: expect.stringMatching(/Quote Not Closed/) }])
  })

  it('takes per-site threshold columns for products only', async () => {
    expect((await read('products', 'sku,name,reorder_threshold@dc2\n')).problems).toEqual([])
    expect((await read('gtins', 'sku,gtin,reorder_threshold@dc2\n')).problems.map((p) => p.code)).toEqual(['UNKNOWN_COLUMN'])
  })
})

describe('checking a row as the API checks its record', () => {
  it('reads numbers and booleans from their text, and leaves empty cells to their defaults', () => {
    expect(check('locations', { site: 'dc1', code: 'SHIP-1', pickable: 'no', reservable: 'FALSE' })).toEqual({
      record: { site: 'dc1', code: 'SHIP-1', pickable: false, reservable: false },
      problems: [],
    })
    expect(check('products', { sku: 'S-1', name: 'Tape', reorder_threshold: '12', 'reorder_threshold@dc2': '4' }).record).toEqual({
      sku: 'S-1',
      name: 'Tape',
      reorderThreshold: 12,
      siteThresholds: { dc2: 4 },
    })
  })

  it('names the column of every bad cell', () => {
    expect(check('stock', { site: 'dc 1', location: 'A-01', sku: 'S-1', qty: '-2', expiry: '2027-02-30' }).problems).toEqual([
      'site INVALID_FIELD must match pattern "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"',
      'qty INVALID_FIELD must be >= 0',
      'expiry INVALID_FIELD must match format "date"',
    ])
    expect(check('stock', { site: 'dc1', location: 'A-01', sku: 'S-1', qty: '1.5' }).problems).toEqual([
      'qty INVALID_FIELD must be integer',
    ])
    expect(check('stock', { site: 'dc1', location: 'A-01', sku: 'S-1', qty: 'ten' }).problems).toEqual([
      'qty INVALID_FIELD must be integer',
    ])
    expect(check('stock', { site: 'dc1', location: 'A-01', qty: '1' }).problems).toEqual(['sku INVALID_FIELD is empty'])
    expect(check('products', { sku: 'S-1', name: 'Tape', 'reorder_threshold@dc2': '-1' }).problems).toEqual([
      'reorder_threshold@dc2 INVALID_FIELD must be >= 0',
    ])
    expect(check('locations', { site: 'dc1', code: 'A-01', pickable: 'maybe' }).problems).toEqual([
      'pickable INVALID_FIELD must be boolean',
    ])
  })

  it("verifies a GTIN's check digit and pads it to 14 digits, one unit per scan unless it says", () => {
    expect(check('gtins', { sku: 'S-1', gtin: '9506000134352' })).toEqual({
      record: { sku: 'S-1', gtin: '09506000134352', qty: 1 },
      problems: [],
    })
    expect(check('gtins', { sku: 'S-1', gtin: '19506000134359', qty: '12' }).record).toEqual({
      sku: 'S-1',
      gtin: '19506000134359',
      qty: 12,
    })
    expect(check('gtins', { sku: 'S-1', gtin: '9506000134353' }).problems).toEqual([
      'gtin BAD_CHECK_DIGIT 9506000134353: its check digit should be 2',
    ])
    expect(check('gtins', { sku: 'S-1', gtin: '12345' }).problems).toEqual([
      'gtin INVALID_FIELD must match pattern "^(?:\\d{8}|\\d{12,14})$"',
    ])
  })
})
