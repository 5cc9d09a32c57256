import type { LocationCreate, LocationInfo } from '@wh/shared'
import { api } from '../../api.ts'
import { useAction } from '../../action.ts'
import { FormActions } from '../../components.tsx'

const FLAGS = [
  ['pickable', 'Pickable: pickers may take stock here'],
  ['reservable', 'Reservable: orders may reserve stock here'],
  ['active', 'Active'],
] as const

/** A new location at `site`, or the zone and flags of `location`. */
export function LocationForm({ site, location, onDone }: { site: string; location?: LocationInfo; onDone: () => void }) {
  const action = useAction()
  const base = `/api/sites/${encodeURIComponent(site)}/locations`

  async function submit(event: Event) {
    event.preventDefault()
    const form = new FormData(event.currentTarget as HTMLFormElement)
    const fields = {
      zone: String(form.get('zone') ?? '').trim(),
      ...Object.fromEntries(FLAGS.map(([flag]) => [flag, form.get(flag) === 'on'])),
    }
    const request = location
      ? () => api('PATCH', `${base}/${encodeURIComponent(location.code)}`, fields)
      : () => api('POST', base, { code: String(form.get('code') ?? '').trim(), ...fields } as LocationCreate)
    if (await action.run(request)) onDone()
  }

  const title = location ? `Edit ${location.code}` : `New location at ${site}`
  return (
    <article>
      <form onSubmit={submit} aria-label={title}>
        <h3>{title}</h3>
        <div class="grid">
          {!location && (
            <label>
              Code
              <input name="code" required autocomplete="off" placeholder="A-01" />
            </label>
          )}
          <label>
            Zone
            <input name="zone" defaultValue={location?.zone} placeholder="receiving, pick-face, shipping…" />
          </label>
        </div>
        <fieldset class="flag-set">
          {FLAGS.map(([flag, label]) => (
            <label>
              <input type="checkbox" role="switch" name={flag} defaultChecked={location?.[flag] ?? true} />
              {label}
            </label>
          ))}
        </fieldset>
        <FormActions action={action} submit={location ? 'Save location' : 'Create location'} back="Back" onBack={onDone} />
      </form>
    </article>
  )
}
