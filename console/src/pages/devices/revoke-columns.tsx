import { api } from '../../api.ts'
import { Time, type Column } from '../../components.tsx'
import type { Action } from '../../action.ts'

/** A key's state in a list: when it was revoked, or the button that revokes it (`label` names what). */
function RevokeCell({
  revokedAt,
  label,
  busy,
  onRevoke,
}: {
  revokedAt: string | null
  label: string
  busy: boolean
  onRevoke: () => void
}) {
  if (revokedAt)
    return (
      <>
        revoked <Time at={revokedAt} />
      </>
    )
  return (
    <button type="button" class="contrast" aria-label={label} onClick={onRevoke} disabled={busy}>
      Revoke
    </button>
  )
}

/**
 * The "Last used" and "State" columns a list of keys ends with. Revoking a row asks `question`
 * first, then deletes it at `path` through `action` and reloads the list.
 */
export function revokeColumns<T extends { lastUsedAt: string | null; revokedAt: string | null }>({
  action,
  label,
  question,
  path,
  reload,
}: {
  action: Action
  label: (row: T) => string
  question: (row: T) => string
  path: (row: T) => string
  reload: () => void
}): Column<T>[] {
  const revoke = (row: T) => {
    if (!confirm(question(row))) return
    void action.run(async () => {
      await api('DELETE', path(row))
      reload()
    })
  }
  return [
    { label: 'Last used', cell: (row) => <Time at={row.lastUsedAt} /> },
    {
      label: 'State',
      cell: (row) => <RevokeCell revokedAt={row.revokedAt} label={label(row)} busy={action.busy} onRevoke={() => revoke(row)} />,
    },
  ]
}
