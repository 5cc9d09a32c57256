import { useState } from 'preact/hooks'
import { ADJUST_REASONS } from './adjust-reasons.ts'
import { QtyField, readQty } from './qty-field.tsx'
import { useItemAtLocation } from './use-item-at-location.ts'
import { WorkflowFrame } from './workflow-frame.tsx'

/** An adjustment: the location, the item, a signed change and its reason, Record. */
export function Adjust() {
  const { problem, setProblem, send, location, item, qty, setQty, onScan, recorded, facts } = useItemAtLocation()
  const [reason, setReason] = useState('')
  const record = async () => {
    const read = readQty(qty, 'signed')
    if ('error' in read) return setProblem(read.error)
    if (!reason) return setProblem('Choose why the stock changes.')
    if (location && item && (await send({ type: 'adjust', barcode: item, location, qty: read.qty, reason }))) recorded()
  }

  return (
    <WorkflowFrame
      title="Adjust"
      prompt={!location ? 'Scan the location' : !item ? 'Scan the item' : 'Set the change and the reason, then Record'}
      facts={facts}
      onScan={onScan}
      problem={problem}
      fields={
        <>
          <QtyField value={qty} onChange={setQty} signed />
          <label for="reason">Reason</label>
          <select id="reason" value={reason} onChange={(e) => setReason((e.currentTarget as HTMLSelectElement).value)}>
            <option value="">Choose a reason</option>
            {ADJUST_REASONS.map((r) => (
              <option value={r}>{r}</option>
            ))}
          </select>
        </>
      }
      actions={
        <button type="button" id="record" disabled={!item} onClick={() => void record()}>
          Record
        </button>
      }
    />
  )
}
