import { useState } from 'preact/hooks'
import type { SessionInfo } from '@wh/shared'
import { api } from './api.ts'
import { problemText } from './action.ts'

/** The sign-in form; the hub throttles wrong passwords and says when to try again. */
export function SignIn({ done }: { done: (info: SessionInfo) => void }) {
  const [error, setError] = useState('')
  const [busy, setBusy] = useState(false)

  async function submit(event: Event) {
    event.preventDefault()
    const form = new FormData(event.currentTarget as HTMLFormElement)
    setBusy(true)
    setError('')
    try {
      done(await api<SessionInfo>('POST', '/api/session', { username: form.get('username'), password: form.get('password') }))
    } catch (err) {
      setError(problemText(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <main class="container sign-in">
      <article>
        <h1>Warehouse console</h1>
        <form onSubmit={submit}>
          <label>
            Username
            <input name="username" autocomplete="username" required autofocus />
          </label>
          <label>
            Password
            <input name="password" type="password" autocomplete="current-password" required />
          </label>
          {error && (
            <p role="alert" class="problem">
              {error}
            </p>
          )}
          <button type="submit" aria-busy={busy} disabled={busy}>
            Sign in
          </button>
        </form>
      </article>
    </main>
  )
}
