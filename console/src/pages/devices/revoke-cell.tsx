import { Time } from '../../components.tsx'

/** A key's state in a list: when it was revoked, or the button that revokes it (`label` names what). */
export function RevokeCell({
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
