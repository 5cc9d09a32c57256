import { Fragment, type ComponentChildren } from 'preact'
import type { Action } from './action.ts'

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
    // Focusable, so a keyboard can scroll a table wider than the screen (a handheld's) sideways.
    <div class="table-scroll" tabIndex={0} role="region" aria-label={caption ?? 'Table'}>
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

/** A form's refusal, if any, then its submit button (busy while `action` runs) and the way back. */
export const FormActions = ({ action, submit, back, onBack }: { action: Action; submit: string; back: string; onBack: () => void }) => (
  <>
    <ProblemNote error={action.error} />
    <div class="button-row">
      <button type="submit" aria-busy={action.busy} disabled={action.busy}>
        {submit}
      </button>
      <button type="button" class="secondary" onClick={onBack}>
        {back}
      </button>
    </div>
  </>
)

/** A switch reporting each flip; `class` styles its label. */
export const Switch = ({
  checked,
  onFlip,
  class: labelClass,
  children,
}: {
  checked: boolean
  onFlip: (on: boolean) => void
  class?: string
  children: ComponentChildren
}) => (
  <label class={labelClass}>
    <input type="checkbox" role="switch" checked={checked} onChange={(e) => onFlip((e.currentTarget as HTMLInputElement).checked)} />
    {children}
  </label>
)

/** What a record is: each term with its value, in the order given. */
export const Facts = ({ facts }: { facts: Record<string, ComponentChildren> }) => (
  <dl class="facts">
    {Object.entries(facts).map(([term, value]) => (
      <Fragment key={term}>
        <dt>{term}</dt>
        <dd>{value}</dd>
      </Fragment>
    ))}
  </dl>
)

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
