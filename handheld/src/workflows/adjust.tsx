import { useState } from 'preact/hooks'
import { ADJUST_REASONS } from './adjust-reasons.ts'
import { useFloor } from '../session/floor-context.ts'
import { QtyField, readQty } from './qty-field.tsx'
import { useSender } from './use-sender.ts'
import { WorkflowFrame } from './workflow-frame.tsx'
import { NO_LOCATIONS } from './words.ts'

/** An adjustment: the location, the item, a signed change and its reason, Record. */
export function Adjust() {
  const { locations } = useFloor()
  const { problem, setProblem, send } = useSender()
  const [location, setLocation] = useState<string>()
  const [item, setItem] = useState<string>()
  const [qty, setQty] = useState('1')
  const [reason, setReason] = useState('')

  const onScan = async (text: string) => {
    setProblem('')
    const codes = await locations
    if (codes.has(text)) {
      setLocation(text)
      return setItem(undefined)
    }
    if (!location) return setProblem(codes.size ? 'Scan the location first.' : NO_LOCATIONS)
    setItem(text)
  }
  const record = async () => {
    const read = readQty(qty, 'signed')
    if ('error' in read) return setProblem(read.error)
    if (!reason) return setProblem('Choose why the stock changes.')
    if (location && item && (await send({ type: 'adjust', barcode: item, location, qty: read.qty, reason }))) {
      setItem(undefined)
      setQty('1')
      document.getElementById('scan-input')?.focus()
    }
  }

  return (
    <WorkflowFrame
      title="Adjust"
      prompt={!location ? 'Scan the location' : !item ? 'Scan the item' : 'Set the change and the reason, then Record'}
      facts={[
        { label: 'Location', value: location, testId: 'location' },
        { label: 'Item', value: item, testId: 'item' },
      ]}
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
