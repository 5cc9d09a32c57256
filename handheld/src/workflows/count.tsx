import { useState } from 'preact/hooks'
import { useFloor } from '../session/floor-context.ts'
import { QtyField, readQty } from './qty-field.tsx'
import { useSender } from './use-sender.ts'
import { WorkflowFrame } from './workflow-frame.tsx'
import { NO_LOCATIONS } from './words.ts'

/**
 * A blind count: the location, the item, how many are there, Record. No expected quantity is
 * shown, so the count is what the picker sees, not what the system says.
 */
export function Count() {
  const { locations } = useFloor()
  const { problem, setProblem, send } = useSender()
  const [location, setLocation] = useState<string>()
  const [item, setItem] = useState<string>()
  const [qty, setQty] = useState('1')

  const onScan = async (text: string) => {
    setProblem('')
    const codes = await locations
    if (codes.has(text)) {
      setLocation(text)
      return setItem(undefined)
    }
    if (!location) return setProblem(codes.size ? 'Scan the location first.' : NO_LOCATIONS)
    setItem(text)
    setQty('1')
    // The count is typed next.
    setTimeout(() => document.getElementById('qty')?.focus())
  }
  const record = async () => {
    const read = readQty(qty, 'count')
    if ('error' in read) return setProblem(read.error)
    if (location && item && (await send({ type: 'count', barcode: item, location, qty: read.qty }))) {
      setItem(undefined)
      setQty('1')
      document.getElementById('scan-input')?.focus()
    }
  }

  return (
    <WorkflowFrame
      title="Count"
      prompt={!location ? 'Scan the location to count' : !item ? 'Scan the item' : 'Enter how many you count, then Record'}
      facts={[
        { label: 'Location', value: location, testId: 'location' },
        { label: 'Item', value: item, testId: 'item' },
      ]}
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
