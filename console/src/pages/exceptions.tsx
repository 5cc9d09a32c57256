import { useEffect, useState } from 'preact/hooks'
import type { HeldEvent, HeldEventPage } from '@wh/shared'
import { api, query } from '../api.ts'
import { Page, ProblemNote } from '../components.tsx'
import { useLoad } from '../load.ts'
import { may, useSession } from '../session.tsx'
import { BulkBar, outcomeOf, type Outcome } from './exceptions/bulk-bar.tsx'
import { HeldCard } from './exceptions/held-card.tsx'
import { Outcomes } from './exceptions/outcomes.tsx'

type Shown = 'pending' | 'decided'
const PAGE = 100
const MOST = 500

/**
 * The held events of the chosen site: the pending ones oldest first (the order they are worked
 * in), or the decided ones newest first. Live: a decision made elsewhere or an event newly held
 * shows without a reload.
 */
export function Exceptions() {
  const { person, site } = useSession()
  const canDecide = may(person, 'supervisor')
  const [shown, setShown] = useState<Shown>('pending')
  const [limit, setLimit] = useState(PAGE)
  const list = useLoad(
    () =>
      api<HeldEventPage>(
        'GET',
        `/api/held-events${query({ site, status: shown, order: shown === 'pending' ? 'oldest' : 'newest', limit })}`,
      ),
    [site, shown, limit],
    { topics: ['held-events'], site },
  )
  const items = list.data?.items ?? []
  const [selected, setSelected] = useState<number[]>([])
  // Only what is still listed counts as selected: one decided elsewhere meanwhile drops out.
  const chosen = selected.filter((id) => items.some((h) => h.id === id))
  // The event whose decision form is open: kept on screen if someone decides it meanwhile, so the
  // form is not lost and its refusal can be read.
  const [open, setOpen] = useState<HeldEvent | null>(null)
  const [outcomes, setOutcomes] = useState<Outcome[]>([])

  useEffect(() => {
    setSelected([])
    setOpen(null)
    setOutcomes([])
  }, [site, shown])
  const decided = (next: Outcome[]) => {
    const done = new Set(next.filter((o) => !o.refused).map((o) => o.id))
    setOutcomes(next)
    setSelected((s) => s.filter((id) => !done.has(id)))
    list.reload()
  }
  const stale = open && !items.some((h) => h.id === open.id) ? open : null
  const rows = stale ? [stale, ...items] : items
  const pending = shown === 'pending'

  const filter = (
    <label class="held-show">
      Show
      <select value={shown} onChange={(e) => setShown(e.currentTarget.value as Shown)}>
        <option value="pending">Waiting for a decision</option>
        <option value="decided">Decided</option>
      </select>
    </label>
  )
  return (
    <Page title="Exceptions" actions={filter}>
      <p>
        {items.length}
        {list.data?.next ? '+' : ''} {pending ? `waiting at ${site}, oldest first` : `decided at ${site}, newest first`}
      </p>
      <ProblemNote error={list.error} />
      <Outcomes outcomes={outcomes} />
      {canDecide && pending && items.length > 0 && (
        <BulkBar selected={chosen} shown={items.length} selectAll={(on) => setSelected(on ? items.map((h) => h.id) : [])} done={decided} />
      )}
      {list.data && rows.length === 0 && <p class="empty">{pending ? 'Nothing is waiting for a decision.' : 'Nothing decided yet.'}</p>}
      <ol class="held-queue">
        {rows.map((held) => (
          <HeldCard
            key={held.id}
            held={held}
            stale={held === stale}
            actions={
              canDecide && pending
                ? {
                    selected: chosen.includes(held.id),
                    select: (on) => setSelected((s) => (on ? [...s, held.id] : s.filter((id) => id !== held.id))),
                    open: open?.id === held.id,
                    setOpen: (on) => {
                      setOpen(on ? held : null)
                      // The stock now as the decision meets it: scans change it without telling consoles.
                      if (on) list.reload()
                    },
                    decided: (decision) => {
                      setOpen(null)
                      decided([outcomeOf({ id: held.id, outcome: 'decided', decision })])
                    },
                  }
                : undefined
            }
          />
        ))}
      </ol>
      {list.data?.next && limit < MOST && (
        <button type="button" class="secondary" onClick={() => setLimit((n) => Math.min(MOST, n + PAGE))}>
          Show more
        </button>
      )}
    </Page>
  )
}
