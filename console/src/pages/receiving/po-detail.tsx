import { useState } from 'preact/hooks'
import type { PurchaseOrder, RenumberResult } from '@wh/shared'
import { api } from '../../api.ts'
import { useLoad } from '../../load.ts'
import { useFocusWhenShown } from '../../focus.ts'
import { DataTable, Facts, ProblemNote, Time } from '../../components.tsx'
import { PoAmend } from './po-amend.tsx'
import { PoEnd, PoRenumber } from './po-end.tsx'
import { Progress } from './progress.tsx'
import { RECEIVING_TOPICS, STATUS_LABELS } from './po-status.ts'

type Mode = 'view' | 'amend' | 'close' | 'cancel' | 'renumber'

/** One PO (keyed by its number, so opening another starts in view): its lines with what was received against each, live as scanners receive, and what a supervisor may do to it. */
export function PoDetail({
  poNumber,
  canChange,
  onRenumbered,
}: {
  poNumber: string
  canChange: boolean
  onRenumbered: (result: RenumberResult) => void
}) {
  const [mode, setMode] = useState<Mode>('view')
  const loaded = useLoad(() => api<PurchaseOrder>('GET', `/api/purchase-orders/${encodeURIComponent(poNumber)}`), [poNumber], {
    topics: RECEIVING_TOPICS,
  })
  const po = loaded.data?.poNumber === poNumber ? loaded.data : undefined
  const heading = useFocusWhenShown<HTMLHeadingElement>(po !== undefined)
  if (!po) return loaded.error ? <ProblemNote error={loaded.error} /> : <p aria-busy="true">Loading {poNumber}…</p>
  // After a change, read the PO at once rather than wait for the change feed.
  const back = () => {
    setMode('view')
    loaded.reload()
  }

  return (
    <article aria-labelledby="po-heading">
      <header>
        <h2 id="po-heading" ref={heading} tabIndex={-1}>
          {po.poNumber} <mark class={`po-status po-status-${po.status}`}>{STATUS_LABELS[po.status]}</mark>
        </h2>
        <Facts
          facts={{ Site: po.site, Supplier: po.supplier || '—', Expected: po.expectedAt ?? '—', Changed: <Time at={po.updatedAt} /> }}
        />
      </header>
      <ProblemNote error={loaded.error} />
      <DataTable
        caption="Lines"
        rows={po.lines}
        rowKey={(l) => l.sku}
        empty="No lines."
        columns={[
          { label: 'SKU', cell: (l) => l.sku },
          { label: 'Received of ordered', cell: (l) => <Progress received={l.received} ordered={l.ordered} label={`${l.sku} received`} /> },
          { label: 'Remaining', cell: (l) => l.remaining, numeric: true },
        ]}
      />
      {canChange && mode === 'view' && (
        <div class="button-row">
          {po.status === 'open' && (
            <>
              <button type="button" onClick={() => setMode('amend')}>
                Amend
              </button>
              <button type="button" class="secondary" onClick={() => setMode('close')}>
                Close…
              </button>
              <button type="button" class="secondary" onClick={() => setMode('cancel')}>
                Cancel…
              </button>
            </>
          )}
          <button type="button" class="secondary outline" onClick={() => setMode('renumber')}>
            Renumber…
          </button>
        </div>
      )}
      {mode === 'amend' && <PoAmend po={po} onDone={back} />}
      {(mode === 'close' || mode === 'cancel') && <PoEnd po={po} action={mode} onDone={back} />}
      {mode === 'renumber' && <PoRenumber po={po} onDone={back} onRenumbered={onRenumbered} />}
    </article>
  )
}
