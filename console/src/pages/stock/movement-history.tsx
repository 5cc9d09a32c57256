import { useState } from 'preact/hooks'
import type { HistoryPage, Movement } from '@wh/shared'
import { api, query } from '../../api.ts'
import { DataTable, ProblemNote, Time } from '../../components.tsx'
import { useLoad } from '../../load.ts'
import { lotName, signed } from './format.ts'
import { STOCK_TOPICS } from './live-topics.ts'
import { VoidForm } from './void-form.tsx'

const PAGE_SIZE = 20
/** What a scan wrote; the hub refuses to void anything else (a void, a release). */
const VOIDABLE = new Set(['receive', 'pick', 'count', 'adjust', 'move'])

/** Who made a movement: the device, the person (or key), or else what triggered it. */
const madeBy = (m: Movement) => [m.deviceId, m.actor].filter(Boolean).join(', ') || m.triggeredBy

/** What a movement is, with how it came about when not a plain scan (a void says it itself). */
const kindOf = (m: Movement) => (m.triggeredBy === 'scan' || m.triggeredBy === m.type ? m.type : `${m.type} (${m.triggeredBy})`)

/**
 * The product's movements at the site, newest first, a page at a time; a supervisor voids one
 * with a reason (the whole move, for a move's leg). Voided rows say by which movement.
 */
export function MovementHistory({ site, sku, canVoid }: { site: string; sku: string; canVoid: boolean }) {
  const [cursors, setCursors] = useState<number[]>([])
  const [voiding, setVoiding] = useState<Movement | null>(null)
  const before = cursors.at(-1)
  const page = useLoad(
    () => api<HistoryPage>('GET', `/api/inventory/${encodeURIComponent(sku)}/history${query({ site, limit: PAGE_SIZE, before })}`),
    [site, sku, before],
    { topics: STOCK_TOPICS, site },
  )

  const voidCell = (m: Movement) => {
    if (m.voidedByMovementId !== null) return `voided by #${m.voidedByMovementId}`
    if (m.voidsMovementId !== null) return `voids #${m.voidsMovementId}`
    if (!canVoid || !VOIDABLE.has(m.type)) return null
    return (
      <button type="button" class="outline" aria-label={`Void movement ${m.id}`} onClick={() => setVoiding(m)}>
        Void
      </button>
    )
  }

  return (
    <section aria-labelledby="stock-history">
      <h3 id="stock-history">Movements</h3>
      <ProblemNote error={page.error} />
      {page.data && (
        <DataTable<Movement>
          caption={`${sku} movements at ${site}, newest first`}
          rows={page.data.items}
          rowKey={(m) => m.id}
          empty="No movements at this site."
          columns={[
            { label: 'Time', cell: (m) => <Time at={m.createdAt} /> },
            { label: '#', numeric: true, cell: (m) => m.id },
            { label: 'Type', cell: kindOf },
            { label: 'Quantity', numeric: true, cell: (m) => signed(m.qtyDelta) },
            { label: 'On hand after', numeric: true, cell: (m) => m.onHandAfter },
            { label: 'Location', cell: (m) => m.location },
            { label: 'Lot', cell: (m) => lotName(m.lot) },
            { label: 'By', cell: madeBy },
            { label: 'Reason', cell: (m) => m.reason ?? '' },
            { label: 'Void', cell: voidCell },
          ]}
        />
      )}
      {voiding && <VoidForm movement={voiding} done={() => setVoiding(null)} />}
      <nav aria-label="Pages of movements" class="pager">
        {cursors.length > 0 && (
          <button type="button" class="secondary" onClick={() => setCursors(cursors.slice(0, -1))}>
            Newer movements
          </button>
        )}
        {page.data?.next && (
          <button type="button" class="secondary" onClick={() => setCursors([...cursors, page.data!.next!])}>
            Older movements
          </button>
        )}
      </nav>
    </section>
  )
}
