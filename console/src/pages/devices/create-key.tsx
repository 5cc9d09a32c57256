import type { IssuedApiKey } from '@wh/shared'
import { ApiRoles } from '@wh/shared/auth/roles'
import { api } from '../../api.ts'
import { ProblemNote } from '../../components.tsx'
import { useLoad } from '../../load.ts'
import { useAction } from '../../action.ts'

/** A new API key: a name, a role and the sites it is limited to (none ticked: every site). */
export function CreateKey({ onIssued }: { onIssued: (issued: IssuedApiKey) => void }) {
  const sites = useLoad(() => api<{ sites: { code: string; active: boolean }[] }>('GET', '/api/sites'), [], { topics: ['sites'] })
  const { busy, error, run } = useAction()
  const submit = (event: Event) => {
    event.preventDefault()
    const form = event.currentTarget as HTMLFormElement
    const data = new FormData(form)
    const chosen = data.getAll('sites').map(String)
    void run(async () => {
      onIssued(
        await api<IssuedApiKey>('POST', '/api/keys', {
          name: data.get('name'),
          role: data.get('role'),
          ...(chosen.length > 0 ? { sites: chosen } : {}),
        }),
      )
      form.reset()
    })
  }
  return (
    <form onSubmit={submit} aria-label="Create an API key">
      <div class="inline-form">
        <label>
          Key name
          <input name="name" required maxLength={64} pattern="[A-Za-z0-9][A-Za-z0-9_.\-]*" placeholder="ordering-site" autocomplete="off" />
        </label>
        <label>
          Role
          <select name="role">
            {ApiRoles.map((role) => (
              <option value={role}>{role}</option>
            ))}
          </select>
        </label>
      </div>
      <fieldset class="site-choice">
        <legend>Limited to sites (none ticked: every site; admin keys are never limited)</legend>
        {(sites.data?.sites ?? [])
          .filter((s) => s.active)
          .map((s) => (
            <label>
              <input type="checkbox" name="sites" value={s.code} />
              {s.code}
            </label>
          ))}
      </fieldset>
      <button type="submit" aria-busy={busy} disabled={busy}>
        Create key
      </button>
      <ProblemNote error={error} />
    </form>
  )
}
