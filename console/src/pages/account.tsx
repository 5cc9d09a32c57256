import { useState } from 'preact/hooks'
import { api } from '../api.ts'
import { Page, ProblemNote } from '../components.tsx'
import { useSession } from '../session.tsx'
import { problemText } from '../action.ts'

/** The signed-in person's own account: a new password (their other sessions end), or signing out everywhere. */
export function Account() {
  const { person, signOut } = useSession()
  const [error, setError] = useState('')
  const [note, setNote] = useState('')

  async function changePassword(event: Event) {
    event.preventDefault()
    const form = event.currentTarget as HTMLFormElement
    const data = new FormData(form)
    setError('')
    setNote('')
    if (data.get('next') !== data.get('again')) return setError('The new passwords differ.')
    try {
      await api('POST', '/api/session/password', { current: data.get('current'), next: data.get('next') })
      form.reset()
      setNote('Password changed. Your other sessions have been signed out.')
    } catch (err) {
      setError(problemText(err))
    }
  }

  async function everywhere() {
    await api('POST', '/api/session/sign-out-everywhere')
    await signOut().catch(() => location.reload())
  }

  return (
    <Page title="Account">
      <p>
        Signed in as <strong>{person.displayName}</strong> ({person.username}, {person.role}
        {person.sites ? `, sites ${person.sites.join(', ')}` : ', all sites'}).
      </p>
      <form onSubmit={changePassword} aria-label="Change password">
        <h2>Change password</h2>
        <label>
          Current password
          <input name="current" type="password" autocomplete="current-password" required />
        </label>
        <label>
          New password (12 characters or more)
          <input name="next" type="password" autocomplete="new-password" minLength={12} required />
        </label>
        <label>
          New password again
          <input name="again" type="password" autocomplete="new-password" minLength={12} required />
        </label>
        <ProblemNote error={error} />
        {note && <p role="status">{note}</p>}
        <button type="submit">Change password</button>
      </form>
      <h2>Sessions</h2>
      <p>
        <em>Sign out everywhere</em> signs you out of this and every other browser, for instance one left signed in on a shared desk.
      </p>
      <div class="grid">
        <button type="button" onClick={() => void signOut()}>
          Sign out
        </button>
        <button type="button" class="secondary" onClick={() => void everywhere()}>
          Sign out everywhere
        </button>
      </div>
    </Page>
  )
}
