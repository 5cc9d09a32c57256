import { useState } from 'preact/hooks'
import type { RunPage } from '@wh/shared'
import { api, query } from '../api.ts'
import { Page, ProblemNote, Switch } from '../components.tsx'
import { useLoad } from '../load.ts'
import { may, useSession } from '../session.tsx'
import { RunControls } from './reconciliation/run-controls.tsx'
import { RunDetails } from './reconciliation/run-details.tsx'

const PAGE_SIZE = 20
/** The most runs the hub lists at once (older ones stay readable through the API, by `before`). */
const MOST = 200

/**
 * Reconciliation runs, newest first, each with its findings at the chosen site; a supervisor
 * starts a run or a dry run. Runs start and finish in a worker: the hub announces both, so the
 * list follows them live.
 */
export function Reconciliation() {
  const { person, site } = useSession()
  // How many pages of runs are shown. Reloaded whole, rather than appending pages by cursor, so a
  // live reload after new runs never leaves a gap between the first page and the older ones.
  const [pages, setPages] = useState(1)
  // A run a minute is scheduled: the ones that found something are easily lost among them.
  const [onlyFound, setOnlyFound] = useState(false)
  const runs = useLoad(
    () => api<RunPage>('GET', `/api/reconciliation/runs${query({ limit: PAGE_SIZE * pages, site, found: onlyFound || undefined })}`),
    [site, pages, onlyFound],
    { topics: ['reconciliation'] },
  )
  const items = runs.data?.items ?? []

  return (
    <Page title="Reconciliation">
      <p>
        Reconciliation compares each stock level with the ledger, reserved stock with the active orders, lots with on hand, and the live
        cache with the database, and corrects what drifted (the ledger is the truth). A dry run only reports.
      </p>
      {may(person, 'supervisor') && <RunControls />}
      <ProblemNote error={runs.error} />
      <h2>Runs</h2>
      <Switch
        class="inline-switch"
        checked={onlyFound}
        onFlip={(on) => {
          setOnlyFound(on)
          setPages(1)
        }}
      >
        Only runs that found something
      </Switch>
      {runs.data && items.length === 0 && <p class="empty">{onlyFound ? 'No run found anything.' : 'No run yet.'}</p>}
      {items.map((run, i) => (
        <RunDetails key={run.id} run={run} site={site} open={i === 0} />
      ))}
      {runs.data?.next && PAGE_SIZE * pages < MOST && (
        <button type="button" class="secondary" onClick={() => setPages(pages + 1)}>
          Older runs
        </button>
      )}
    </Page>
  )
}
