import { useState } from 'preact/hooks'
import { useFloor } from '../session/floor-context.ts'
import { QtyField, readQty } from './qty-field.tsx'
import { useSender } from './use-sender.ts'
import { WorkflowFrame } from './workflow-frame.tsx'
import { NO_LOCATIONS } from './words.ts'

/** Move or put away: the location it is taken from, the item, then where it goes (which sends the move). */
export function Move() {
  const { locations } = useFloor()
  const { problem, setProblem, send } = useSender()
  const [from, setFrom] = useState<string>()
  const [item, setItem] = useState<string>()
  const [qty, setQty] = useState('1')

  const onScan = async (text: string) => {
    const codes = await locations
    if (!codes.has(text)) {
      if (!from) return setProblem(codes.size ? 'Scan the location you take it from first.' : NO_LOCATIONS)
      setProblem('')
      return setItem(text)
    }
    if (!item) {
      setProblem('')
      return setFrom(text)
    }
    if (text === from) return setProblem(`The item is already at ${text}: scan where it goes.`)
    const read = readQty(qty, 'positive')
    if ('error' in read) return setProblem(read.error)
    if (await send({ type: 'move', barcode: item, location: from!, toLocation: text, qty: read.qty })) {
      setItem(undefined)
      setQty('1')
    }
  }

  const prompt = !from ? 'Scan the location to move from' : !item ? 'Scan the item' : 'Scan the location it goes to'
  return (
    <WorkflowFrame
      title="Move / put away"
      prompt={prompt}
      facts={[
        { label: 'From', value: from, testId: 'location' },
        { label: 'Item', value: item, testId: 'item' },
      ]}
      onScan={onScan}
      problem={problem}
      fields={<QtyField value={qty} onChange={setQty} />}
    />
  )
}
