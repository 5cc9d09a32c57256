import { fieldChanges, type FieldChange } from './audit-diff.ts'

/** Fields shown before the rest fold away: most changes touch a few. */
const SHOWN = 6

function Change({ field, kind, before, after }: FieldChange) {
  return (
    <li class={kind}>
      <code>{field}</code>{' '}
      {kind === 'changed' && (
        <>
          <del>{before}</del> → <ins>{after}</ins>
        </>
      )}
      {kind === 'set' && <ins>{after}</ins>}
      {kind === 'deleted' && <del>{before}</del>}
      {kind === 'context' && <span>was {before}</span>}
    </li>
  )
}

/** An audit entry's change as the fields it changed: the old value struck through, the new one beside it. */
export function FieldChanges({ before, after }: { before: unknown; after: unknown }) {
  const changes = fieldChanges(before, after)
  if (changes.length === 0) return <span class="empty">no recorded state</span>
  const rest = changes.slice(SHOWN)
  return (
    <div class="field-changes">
      <ul>
        {changes.slice(0, SHOWN).map((c) => (
          <Change {...c} />
        ))}
      </ul>
      {rest.length > 0 && (
        <details>
          <summary>{rest.length} more</summary>
          <ul>
            {rest.map((c) => (
              <Change {...c} />
            ))}
          </ul>
        </details>
      )}
    </div>
  )
}
