import { useState } from 'preact/hooks'
import { PersonRoles, type Person, type PersonRole } from '@wh/shared'
import { api } from '../api.ts'
import { DataTable, Page, ProblemNote, Time } from '../components.tsx'
import { useLoad } from '../load.ts'
import { problemText } from '../action.ts'

const sitesText = (sites: readonly string[] | null) => (sites ? sites.join(', ') : 'all sites')
const sitesOf = (text: string) => {
  const sites = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  return sites.length ? sites : null
}

/** Admin: who may sign in, with what role and for which sites; disabling someone ends their sessions at once. */
export function People() {
  const people = useLoad(() => api<{ people: Person[] }>('GET', '/api/people'), [], { topics: ['people'] })
  const [error, setError] = useState('')
  const [editing, setEditing] = useState<Person | null>(null)

  async function act(work: () => Promise<unknown>) {
    setError('')
    try {
      await work()
      people.reload()
    } catch (err) {
      setError(problemText(err))
    }
  }

  return (
    <Page title="People">
      <ProblemNote error={error || people.error} />
      <DataTable
        rows={people.data?.people ?? []}
        rowKey={(p) => p.username}
        empty="Nobody yet."
        columns={[
          { label: 'Username', cell: (p) => p.username },
          { label: 'Name', cell: (p) => p.displayName },
          { label: 'Role', cell: (p) => p.role },
          { label: 'Sites', cell: (p) => sitesText(p.sites) },
          { label: 'Last sign-in', cell: (p) => <Time at={p.lastSignInAt} /> },
          {
            label: 'Account',
            cell: (p) => (
              <button
                type="button"
                class="outline"
                onClick={() => void act(() => api('PATCH', `/api/people/${p.username}`, { active: !p.active }))}
              >
                {p.active ? `Disable ${p.username}` : `Enable ${p.username}`}
              </button>
            ),
          },
          {
            label: 'Change',
            cell: (p) => (
              <button type="button" class="secondary" onClick={() => setEditing(p)}>
                Edit {p.username}
              </button>
            ),
          },
        ]}
      />
      {editing ? (
        <PersonForm key={editing.username} person={editing} onDone={() => setEditing(null)} act={act} />
      ) : (
        <PersonForm key="new" act={act} />
      )}
    </Page>
  )
}

/** Adds a person, or changes one (name, role, sites, a new password). */
function PersonForm({
  person,
  act,
  onDone,
}: {
  person?: Person
  act: (work: () => Promise<unknown>) => Promise<void>
  onDone?: () => void
}) {
  async function submit(event: Event) {
    event.preventDefault()
    const form = event.currentTarget as HTMLFormElement
    const data = new FormData(form)
    const password = String(data.get('password') ?? '')
    const fields = { displayName: String(data.get('displayName')), role: data.get('role') as PersonRole }
    const sites = sitesOf(String(data.get('sites') ?? ''))
    await act(async () => {
      if (person) await api('PATCH', `/api/people/${person.username}`, { ...fields, sites, ...(password ? { password } : {}) })
      else await api('POST', '/api/people', { username: data.get('username'), ...fields, password, ...(sites ? { sites } : {}) })
      form.reset()
      onDone?.()
    })
  }
  return (
    <form onSubmit={submit} aria-label={person ? `Change ${person.username}` : 'Add a person'}>
      <h2>{person ? `Change ${person.username}` : 'Add a person'}</h2>
      <div class="grid">
        {!person && (
          <label>
            Username
            <input name="username" required pattern="[A-Za-z0-9][A-Za-z0-9._\-]*" maxLength={64} />
          </label>
        )}
        <label>
          Name
          <input name="displayName" required maxLength={128} value={person?.displayName} />
        </label>
        <label>
          Role
          <select name="role" value={person?.role ?? 'viewer'}>
            {PersonRoles.map((r) => (
              <option value={r}>{r}</option>
            ))}
          </select>
        </label>
        <label>
          Sites (comma-separated; empty for all)
          <input name="sites" value={person?.sites?.join(', ') ?? ''} />
        </label>
        <label>
          {person ? 'New password (leave empty to keep)' : 'Password (12 characters or more)'}
          <input name="password" type="password" autocomplete="new-password" minLength={12} required={!person} />
        </label>
      </div>
      <button type="submit">{person ? 'Save' : 'Add person'}</button>
      {person && (
        <button type="button" class="secondary" onClick={onDone}>
          Cancel
        </button>
      )}
    </form>
  )
}
