import type { ComponentChildren } from 'preact'

export interface Column<T> {
  label: string
  cell: (row: T) => ComponentChildren
  /** Right-aligned, for figures. */
  numeric?: boolean
}

/** A table of rows, its header from the columns; `empty` says what an empty table means. */
export function DataTable<T>({
  rows,
  columns,
  rowKey,
  empty,
  caption,
}: {
  rows: readonly T[]
  columns: readonly Column<T>[]
  rowKey: (row: T) => string | number
  empty: string
  caption?: string
}) {
  if (rows.length === 0) return <p class="empty">{empty}</p>
  return (
    // Focusable, so a table wider than a handheld's screen can be scrolled from the keyboard too.
    <div class="table-scroll" tabIndex={0}>
      <table class="striped">
        {caption && <caption>{caption}</caption>}
        <thead>
          <tr>
            {columns.map((c) => (
              <th scope="col" class={c.numeric ? 'num' : undefined}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((c) => (
                <td class={c.numeric ? 'num' : undefined}>{c.cell(row)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** A refusal or failure in the hub's own words, announced to screen readers. */
export const ProblemNote = ({ error }: { error: string }) =>
  error ? (
    <p role="alert" class="problem">
      {error}
    </p>
  ) : null

/** A page's heading and body. */
export const Page = ({ title, children, actions }: { title: string; children: ComponentChildren; actions?: ComponentChildren }) => (
  <section class="page">
    <header class="page-head">
      <h1>{title}</h1>
      {actions}
    </header>
    {children}
  </section>
)

const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'medium' })
/** A timestamp as people read it, the ISO text on hover. */
export const Time = ({ at }: { at: string | null | undefined }) =>
  at ? (
    <time dateTime={at} title={at}>
      {when.format(new Date(at))}
    </time>
  ) : (
    <>—</>
  )
