import { useState } from 'preact/hooks'
import { useDeviceData } from '../data/use-device-data.ts'
import { useReloadOnApplied } from '../data/use-reload-on-applied.ts'
import type { HandheldReceiving, ReceivingLine, ReceivingPo } from '@wh/shared'
import { useFloor } from '../session/floor-context.ts'
import { labelLot, namesProduct } from './item-scan.ts'
import { QtyField, readQty } from './qty-field.tsx'
import { StaleNote } from './stale-note.tsx'
import { useSender } from './use-sender.ts'
import { WorkflowFrame } from './workflow-frame.tsx'
import { NO_LOCATIONS } from './words.ts'

/** Receive: a PO (or none), then the location, then each item received (each scan sends). */
export function Receive() {
  const list = useDeviceData<HandheldReceiving>('/api/handheld/receiving')
  useReloadOnApplied(list.reload)
  // undefined: still choosing; null: receiving without a PO.
  const [poNumber, setPoNumber] = useState<string | null>()
  const pos = list.data?.purchaseOrders ?? []
  if (poNumber === undefined) return <PoChoice pos={pos} staleAt={list.staleAt} error={list.error} onChoose={setPoNumber} />
  const po = poNumber === null ? undefined : pos.find((p) => p.poNumber === poNumber)
  return <ReceiveItems poNumber={poNumber ?? undefined} po={po} staleAt={list.staleAt} />
}

function PoChoice({
  pos,
  staleAt,
  error,
  onChoose,
}: {
  pos: ReceivingPo[]
  staleAt?: number
  error: string
  onChoose: (po: string | null) => void
}) {
  const [problem, setProblem] = useState('')
  const onScan = (text: string) =>
    pos.some((p) => p.poNumber === text) ? onChoose(text) : setProblem(`${text} is not an open PO of this site.`)
  return (
    <WorkflowFrame title="Receive" prompt="Scan or choose the PO" facts={[]} onScan={onScan} problem={problem || error}>
      <StaleNote at={staleAt} />
      <ul class="choices" aria-label="Open purchase orders">
        {pos.map((po) => (
          <li key={po.poNumber}>
            <button type="button" class="choice" data-po={po.poNumber} onClick={() => onChoose(po.poNumber)}>
              <strong>{po.poNumber}</strong>
              <span>
                {po.supplier ?? 'No supplier'} · {po.lines.filter((l) => l.remaining > 0).length} lines to receive
              </span>
            </button>
          </li>
        ))}
      </ul>
      <button type="button" class="secondary wide" id="no-po" onClick={() => onChoose(null)}>
        Receive without a PO
      </button>
    </WorkflowFrame>
  )
}

function ReceiveItems({ poNumber, po, staleAt }: { poNumber?: string; po?: ReceivingPo; staleAt?: number }) {
  const {
    locations,
    state: { outcomes },
  } = useFloor()
  const { problem, setProblem, send } = useSender()
  const [location, setLocation] = useState<string>()
  const [qty, setQty] = useState('1')

  const onScan = async (text: string) => {
    const codes = await locations
    if (codes.has(text)) {
      setProblem('')
      return setLocation(text)
    }
    if (!location) return setProblem(codes.size ? 'Scan the location you receive into first.' : NO_LOCATIONS)
    const read = readQty(qty, 'positive')
    if ('error' in read) return setProblem(read.error)
    if (await send({ type: 'receive', barcode: text, location, qty: read.qty, ...(poNumber && { poNumber }), ...labelLot(text) }))
      setQty('1')
  }
  // What this device has received but the hub has not yet answered is not in the PO's figures yet.
  const pendingFor = (line: ReceivingLine) =>
    outcomes
      .filter((o) => o.type === 'receive' && o.status === 'queued' && o.poNumber === poNumber && namesProduct(o.barcode, line))
      .reduce((n, o) => n + (o.qty ?? 1), 0)

  return (
    <WorkflowFrame
      title={poNumber ? `Receive ${poNumber}` : 'Receive without a PO'}
      prompt={location ? 'Scan each item received' : 'Scan the location you receive into'}
      facts={[{ label: 'Location', value: location, testId: 'location' }]}
      onScan={onScan}
      problem={problem}
      fields={<QtyField value={qty} onChange={setQty} />}
    >
      {po && (
        <section aria-labelledby="po-lines-title">
          <h2 id="po-lines-title">What remains</h2>
          <StaleNote at={staleAt} />
          <ul class="lines" id="po-lines">
            {po.lines.map((line) => {
              const remaining = Math.max(0, line.remaining - pendingFor(line))
              return (
                <li key={line.sku} data-sku={line.sku} data-remaining={remaining} class={remaining === 0 ? 'done' : undefined}>
                  <span class="line-name">
                    <strong>{line.sku}</strong> {line.name}
                  </span>
                  <span class="line-figure">
                    <strong>{remaining}</strong> of {line.ordered} to go
                  </span>
                </li>
              )
            })}
          </ul>
        </section>
      )}
    </WorkflowFrame>
  )
}
