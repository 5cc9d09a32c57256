const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'short' })

/** Says a list is the copy kept on the device (the hub was not reached), and from when. */
export function StaleNote({ at }: { at: number | undefined }) {
  if (!at) return null
  return (
    <p class="stale" data-testid="stale">
      Offline: as of {when.format(at)}
    </p>
  )
}
