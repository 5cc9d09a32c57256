import { QtyField, readQty } from './qty-field.tsx'
import { useItemAtLocation } from './use-item-at-location.ts'
import { WorkflowFrame } from './workflow-frame.tsx'

/**
 * A blind count: the location, the item, how many are there, Record. No expected quantity is
 * shown, so the count is what the picker sees, not what the system says.
 */
export function Count() {
  const { problem, setProblem, send, location, item, qty, setQty, onScan, recorded, facts } = useItemAtLocation(() => {
    setQty('1')
    // The count is typed next.
    setTimeout(() => document.getElementById('qty')?.focus())
  })
  const record = async () => {
    const read = readQty(qty, 'count')
    if ('error' in read) return setProblem(read.error)
    if (location && item && (await send({ type: 'count', barcode: item, location, qty: read.qty }))) recorded()
  }

  return (
    <WorkflowFrame
      title="Count"
      prompt={!location ? 'Scan the location to count' : !item ? 'Scan the item' : 'Enter how many you count, then Record'}
      facts={facts}
      onScan={onScan}
      problem={problem}
      fields={<QtyField value={qty} onChange={setQty} />}
      actions={
        <button type="button" id="record" disabled={!item} onClick={() => void record()}>
          Record
        </button>
      }
    />
  )
}
