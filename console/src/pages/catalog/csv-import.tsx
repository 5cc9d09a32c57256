import { useEffect, useState } from 'preact/hooks'
import type { ImportKind, ImportProblem, ImportReport } from '@wh/shared'
import { api, Problem, query } from '../../api.ts'
import { problemText } from '../../action.ts'
import { ProblemNote } from '../../components.tsx'
import { ImportOutcome, ImportProblems } from './import-report.tsx'

const KINDS: Record<ImportKind, string> = {
  sites: 'Sites',
  locations: 'Locations',
  products: 'Products',
  gtins: 'GTINs',
  stock: 'Opening stock',
}

/** What the last check of the chosen file found: a clean report to apply, or its problems. */
type Checked = { report: ImportReport } | { refusal: string; problems: ImportProblem[] }

/**
 * The CSV import, one file of one kind at a time: a dry run first, which lists every problem by
 * line and column and writes nothing, then the apply of the same file. Opening stock is applied
 * through the partitions, so its progress is read until every row is in.
 */
export function CsvImport() {
  const [kind, setKind] = useState<ImportKind>('products')
  const [file, setFile] = useState<File>()
  const [checked, setChecked] = useState<Checked>()
  const [outcome, setOutcome] = useState<ImportReport>()
  // Which request is under way: the dry run or the apply.
  const [busy, setBusy] = useState<'check' | 'apply' | ''>('')
  const [error, setError] = useState('')

  const choose = (next: { kind?: ImportKind; file?: File }) => {
    if (next.kind) setKind(next.kind)
    if ('file' in next) setFile(next.file)
    setChecked(undefined)
    setOutcome(undefined)
    setError('')
  }

  async function send(dryRun: boolean) {
    if (!file) return
    setBusy(dryRun ? 'check' : 'apply')
    setError('')
    try {
      // Typed here: a browser may give a .csv file another type, or none.
      const body = new Blob([file], { type: 'text/csv' })
      const report = await api<ImportReport>('POST', '/api/imports' + query({ kind, dryRun: dryRun || undefined }), body)
      if (dryRun) setChecked({ report })
      else setOutcome(report)
    } catch (err) {
      if (err instanceof Problem && err.code === 'IMPORT_REFUSED') {
        setChecked({ refusal: problemText(err), problems: err.details as ImportProblem[] })
        setOutcome(undefined)
      } else setError(problemText(err))
    } finally {
      setBusy('')
    }
  }

  // Opening stock goes in through the partitions: its count of applied rows is read until all are in.
  useEffect(() => {
    if (outcome?.status !== 'applying') return
    const timer = setTimeout(() => {
      api<ImportReport>('GET', `/api/imports/${outcome.id}`).then(setOutcome, (err: unknown) => setError(problemText(err)))
    }, 1000)
    return () => clearTimeout(timer)
  }, [outcome])

  return (
    <section aria-labelledby="import-heading">
      <h2 id="import-heading">CSV import</h2>
      <p>
        One file of one kind, its first line naming the columns. It is checked first, and nothing is written until you apply it.
        {kind !== 'stock' && (
          <>
            {' '}
            <a href={`/api/exports/catalog.csv${query({ kind })}`} download={`${kind}.csv`}>
              Export the current {KINDS[kind].toLowerCase()}
            </a>{' '}
            to start from.
          </>
        )}
      </p>
      <form
        class="filter-bar"
        onSubmit={(e) => {
          e.preventDefault()
          void send(true)
        }}
      >
        <label>
          Kind
          <select value={kind} onChange={(e) => choose({ kind: (e.currentTarget as HTMLSelectElement).value as ImportKind })}>
            {Object.entries(KINDS).map(([value, label]) => (
              <option value={value}>{label}</option>
            ))}
          </select>
        </label>
        <label>
          CSV file
          <input
            type="file"
            accept=".csv,text/csv"
            required
            // Emptied as the picker opens, so a file fixed and picked again counts as a new choice.
            onClick={(e) => {
              const input = e.currentTarget as HTMLInputElement
              input.value = ''
              choose({ file: undefined })
            }}
            onChange={(e) => choose({ file: (e.currentTarget as HTMLInputElement).files?.[0] })}
          />
        </label>
        <button type="submit" aria-busy={busy === 'check'} disabled={busy !== '' || !file}>
          Check file
        </button>
      </form>
      <ProblemNote error={error} />
      {checked && 'problems' in checked && <ImportProblems refusal={checked.refusal} problems={checked.problems} />}
      {checked && 'report' in checked && !outcome && file && (
        <div>
          <p role="status">
            {file.name}: {checked.report.rows} {KINDS[kind].toLowerCase()} rows, no problems. Nothing is written until you apply it.
          </p>
          <button type="button" aria-busy={busy === 'apply'} disabled={busy !== ''} onClick={() => void send(false)}>
            Apply {file.name}
          </button>
        </div>
      )}
      {outcome && <ImportOutcome report={outcome} label={KINDS[outcome.kind].toLowerCase()} />}
    </section>
  )
}
