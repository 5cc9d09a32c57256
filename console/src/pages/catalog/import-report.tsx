import type { ImportProblem, ImportReport } from '@wh/shared'
import { DataTable } from '../../components.tsx'

/** A refused file: the hub's summary, and each problem by line (1 is the header) and column. */
export const ImportProblems = ({ refusal, problems }: { refusal: string; problems: ImportProblem[] }) => (
  <>
    <p role="alert" class="problem">
      {refusal}. Fix the file and check it again.
    </p>
    <DataTable
      caption="Problems by line and column"
      rows={problems}
      rowKey={(p) => `${p.line}:${p.column ?? ''}:${p.code}:${p.reason}`}
      empty="No problems listed."
      columns={[
        { label: 'Line', cell: (p) => p.line, numeric: true },
        { label: 'Column', cell: (p) => p.column ?? '—' },
        { label: 'Problem', cell: (p) => p.code },
        { label: 'What is wrong', cell: (p) => p.reason },
      ]}
    />
  </>
)

/** An applied file; opening stock shows how many of its rows the partitions have applied so far. */
export function ImportOutcome({ report, label }: { report: ImportReport; label: string }) {
  if (report.status === 'applied')
    return (
      <p role="status">
        Applied: {report.rows} {label} rows.
        {report.held ? ` ${report.held} of them were held for a supervisor (see Exceptions).` : ''}
      </p>
    )
  return (
    <p role="status">
      Applying {label}: {report.applied ?? 0} of {report.rows} rows in.{' '}
      <progress value={report.applied ?? 0} max={Math.max(report.rows, 1)} aria-label="Rows applied" />
    </p>
  )
}
