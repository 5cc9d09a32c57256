import { useState } from 'preact/hooks'
import type { ScreenInfo } from '@wh/shared'
import { api, query } from '../../api.ts'
import { DataTable, ProblemNote, Time, type Column } from '../../components.tsx'
import { useLoad } from '../../load.ts'
import { revokeColumns } from './revoke-columns.tsx'
import { useAction } from '../../action.ts'

/**
 * Floor screens of the shown site: pair one by the code it shows (it gets a viewer key for this
 * site and keeps it across restarts), and revoke one (it goes dark and shows a code again).
 */
export function ScreenSection({ site }: { site: string }) {
  const screens = useLoad(
    () => (site ? api<{ screens: ScreenInfo[] }>('GET', `/api/screens${query({ site })}`) : Promise.resolve({ screens: [] })),
    [site],
    { topics: ['screens', 'keys'], site },
  )
  const [paired, setPaired] = useState('')
  const action = useAction()

  const pair = (event: Event) => {
    event.preventDefault()
    const form = event.currentTarget as HTMLFormElement
    const data = new FormData(form)
    setPaired('')
    void action.run(async () => {
      const screen = await api<ScreenInfo>('POST', '/api/screens', { code: String(data.get('code')).trim(), name: data.get('name'), site })
      setPaired(`Paired ${screen.name}: the screen shows ${screen.site}'s stock within seconds.`)
      form.reset()
      screens.reload()
    })
  }

  const columns: Column<ScreenInfo>[] = [
    { label: 'Screen', cell: (s) => s.name },
    { label: 'Key', cell: (s) => <code>{s.prefix}</code> },
    { label: 'Paired', cell: (s) => <Time at={s.createdAt} /> },
    ...revokeColumns<ScreenInfo>({
      action,
      label: (s) => `Revoke screen ${s.name}`,
      question: (s) => `Revoke ${s.name}? It goes dark and shows a pairing code again.`,
      path: (s) => `/api/screens/${s.id}`,
      reload: screens.reload,
    }),
  ]

  return (
    <section aria-labelledby="screens-heading">
      <h2 id="screens-heading">Floor screens at {site}</h2>
      <p>A floor screen with no key shows a pairing code. Enter it here with a name for the screen.</p>
      <form onSubmit={pair} class="inline-form" aria-label="Pair a floor screen">
        <label>
          Pairing code
          <input
            name="code"
            required
            pattern="[A-Za-z0-9]{4}[\- ]?[A-Za-z0-9]{4}"
            placeholder="K7QM-3XRT"
            autocomplete="off"
            autocapitalize="characters"
            spellcheck={false}
          />
        </label>
        <label>
          Screen name
          <input name="name" required maxLength={64} pattern="[A-Za-z0-9][A-Za-z0-9_.\-]*" placeholder="dock-2" autocomplete="off" />
        </label>
        <button type="submit" aria-busy={action.busy} disabled={action.busy || !site}>
          Pair screen
        </button>
      </form>
      {paired && <p role="status">{paired}</p>}
      <ProblemNote error={screens.error || action.error} />
      <DataTable rows={screens.data?.screens ?? []} columns={columns} rowKey={(s) => s.id} empty="No screens paired at this site." />
    </section>
  )
}
