import { useState } from 'preact/hooks'
import { useDeviceData } from '../data/use-device-data.ts'
import { useReloadOnApplied } from '../data/use-reload-on-applied.ts'
import type { HandheldOrders, HandheldPickPlan, PickLot } from '@wh/shared'
import { useFloor } from '../session/floor-context.ts'
import { QtyField, readQty } from './qty-field.tsx'
import { StaleNote } from './stale-note.tsx'
import { useSender } from './use-sender.ts'
import { WorkflowFrame } from './workflow-frame.tsx'
import { NO_LOCATIONS } from './words.ts'

/** Pick for an order: choose (or scan) the order, then at each location scan what is picked. */
export function Pick() {
  const [orderId, setOrderId] = useState<string>()
  return orderId ? <PickOrder orderId={orderId} /> : <OrderChoice onChoose={setOrderId} />
}

function OrderChoice({ onChoose }: { onChoose: (orderId: string) => void }) {
  const list = useDeviceData<HandheldOrders>('/api/handheld/orders')
  const [problem, setProblem] = useState('')
  const orders = list.data?.orders ?? []
  const onScan = (text: string) =>
    orders.some((o) => o.orderId === text) ? onChoose(text) : setProblem(`${text} is not an order to pick at this site.`)
  return (
    <WorkflowFrame title="Pick" prompt="Scan or choose the order" facts={[]} onScan={onScan} problem={problem || list.error}>
      <StaleNote at={list.staleAt} />
      {list.data && orders.length === 0 && <p class="empty">No orders to pick.</p>}
      <ul class="choices" aria-label="Orders to pick">
        {orders.map((o) => (
          <li key={o.orderId}>
            <button type="button" class="choice" data-order={o.orderId} onClick={() => onChoose(o.orderId)}>
              <strong>{o.orderId}</strong>
              <span>
                {o.lines.filter((l) => l.remaining > 0).length} lines · {o.lines.reduce((n, l) => n + l.remaining, 0)} to pick
              </span>
            </button>
          </li>
        ))}
      </ul>
    </WorkflowFrame>
  )
}

function PickOrder({ orderId }: { orderId: string }) {
  const detail = useDeviceData<HandheldPickPlan>(`/api/handheld/orders/${encodeURIComponent(orderId)}`)
  useReloadOnApplied(detail.reload)
  const { locations } = useFloor()
  const { problem, setProblem, send } = useSender()
  const [location, setLocation] = useState<string>()
  const [qty, setQty] = useState('1')
  const open = (detail.data?.lines ?? []).filter((l) => l.remaining > 0)

  const onScan = async (text: string) => {
    const codes = await locations
    if (codes.has(text)) {
      setProblem('')
      return setLocation(text)
    }
    if (!location) return setProblem(codes.size ? 'Scan the location you pick from first.' : NO_LOCATIONS)
    const read = readQty(qty, 'positive')
    if ('error' in read) return setProblem(read.error)
    if (await send({ type: 'pick', barcode: text, location, qty: read.qty, orderId })) setQty('1')
  }
  const next = open.flatMap((l) => l.picks)[0]

  return (
    <WorkflowFrame
      title="Pick"
      prompt={!location ? `Scan the location${next ? ` (${next.location})` : ''}` : 'Scan each item picked'}
      facts={[
        { label: 'Order', value: orderId, testId: 'order' },
        { label: 'Location', value: location, testId: 'location' },
      ]}
      onScan={onScan}
      problem={problem || detail.error}
      fields={<QtyField value={qty} onChange={setQty} />}
    >
      <section aria-labelledby="pick-lines-title">
        <h2 id="pick-lines-title">To pick</h2>
        <StaleNote at={detail.staleAt} />
        {detail.data && open.length === 0 && <p class="done-note">Everything on this order is picked.</p>}
        <ul class="lines" id="pick-lines">
          {open.map((line) => (
            <PickLine key={line.sku} line={line} here={location} />
          ))}
        </ul>
      </section>
    </WorkflowFrame>
  )
}

/** Which lot to take first ('' is stock received without a lot). */
const lotFirst = ({ lot, expiry }: PickLot) => `${lot ? `lot ${lot}` : 'no lot'} first${expiry ? ` (expires ${expiry})` : ''}`

/** One line of the order: how many remain, where to pick them and which lot first. */
function PickLine({ line, here }: { line: HandheldPickPlan['lines'][number]; here: string | undefined }) {
  return (
    <li data-sku={line.sku} data-remaining={line.remaining}>
      <span class="line-name">
        <strong>{line.sku}</strong> {line.name}
      </span>
      <span class="line-figure">
        <strong>{line.remaining}</strong> to pick
      </span>
      <ol class="picks">
        {line.picks.map((p) => (
          <li key={p.location} data-location={p.location} class={p.location === here ? 'here' : undefined}>
            <strong>{p.location}</strong>: take {p.qty}
            {p.lots[0] && <span class="lot"> · {lotFirst(p.lots[0])}</span>}
          </li>
        ))}
      </ol>
    </li>
  )
}
