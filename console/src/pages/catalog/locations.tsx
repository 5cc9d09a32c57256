import { useState } from 'preact/hooks'
import type { LocationInfo } from '@wh/shared'
import { api } from '../../api.ts'
import { useLoad } from '../../load.ts'
import { DataTable, ProblemNote } from '../../components.tsx'
import { LOCATION_TOPICS } from './catalog-href.ts'
import { LocationForm } from './location-form.tsx'

const yes = (flag: boolean) => (flag ? 'Yes' : 'No')

/** The chosen site's locations with their flags, found by code or zone; an admin adds and edits them. */
export function Locations({ site, canChange }: { site: string; canChange: boolean }) {
  const [filter, setFilter] = useState('')
  // The location being edited, or null for a new one; undefined when no form is open.
  const [editing, setEditing] = useState<LocationInfo | null | undefined>(undefined)
  const loaded = useLoad(() => api<{ locations: LocationInfo[] }>('GET', `/api/sites/${encodeURIComponent(site)}/locations`), [site], {
    topics: LOCATION_TOPICS,
    site,
  })
  const needle = filter.trim().toLowerCase()
  // Every location of the site comes in one answer, so finding one is done here.
  const rows = (loaded.data?.locations ?? []).filter(
    (l) => !needle || l.code.toLowerCase().includes(needle) || l.zone.toLowerCase().includes(needle),
  )

  return (
    <section aria-labelledby="locations-heading">
      <h2 id="locations-heading">Locations at {site}</h2>
      <div class="filter-bar">
        <label>
          Find
          <input
            type="search"
            placeholder="Code or zone"
            value={filter}
            onInput={(e) => setFilter((e.currentTarget as HTMLInputElement).value)}
          />
        </label>
        {canChange && editing === undefined && (
          <button type="button" onClick={() => setEditing(null)}>
            New location
          </button>
        )}
      </div>
      {editing !== undefined && (
        <LocationForm
          key={editing?.code ?? ''}
          site={site}
          location={editing ?? undefined}
          onDone={() => {
            setEditing(undefined)
            loaded.reload()
          }}
        />
      )}
      <ProblemNote error={loaded.error} />
      {loaded.data && (
        <DataTable
          rows={rows}
          rowKey={(l) => l.code}
          empty={needle ? `No location matches “${filter.trim()}”.` : `No locations at ${site}.`}
          columns={[
            { label: 'Code', cell: (l) => l.code },
            { label: 'Zone', cell: (l) => l.zone || '—' },
            { label: 'Pickable', cell: (l) => yes(l.pickable) },
            { label: 'Reservable', cell: (l) => yes(l.reservable) },
            { label: 'Active', cell: (l) => yes(l.active) },
            ...(canChange
              ? [
                  {
                    label: 'Change',
                    cell: (l: LocationInfo) => (
                      <button type="button" class="secondary outline" aria-label={`Edit ${l.code}`} onClick={() => setEditing(l)}>
                        Edit
                      </button>
                    ),
                  },
                ]
              : []),
          ]}
        />
      )}
    </section>
  )
}
