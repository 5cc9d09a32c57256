import { useState } from 'preact/hooks'
import { useFloor } from '../session/floor-context.ts'
import { useSender } from './use-sender.ts'
import { NO_LOCATIONS } from './words.ts'

/**
 * The steps count and adjust share: scan a location, then an item, then a quantity the picker
 * enters and records. A location scanned at any step starts over there.
 */
export function useItemAtLocation(afterItem?: () => void) {
  const { locations } = useFloor()
  const sender = useSender()
  const [location, setLocation] = useState<string>()
  const [item, setItem] = useState<string>()
  const [qty, setQty] = useState('1')

  const onScan = async (text: string) => {
    sender.setProblem('')
    const codes = await locations
    if (codes.has(text)) {
      setLocation(text)
      return setItem(undefined)
    }
    if (!location) return sender.setProblem(codes.size ? 'Scan the location first.' : NO_LOCATIONS)
    setItem(text)
    afterItem?.()
  }
  /** After a recorded event: ready for the next item at the same location. */
  const recorded = () => {
    setItem(undefined)
    setQty('1')
    document.getElementById('scan-input')?.focus()
  }
  const facts = [
    { label: 'Location', value: location, testId: 'location' },
    { label: 'Item', value: item, testId: 'item' },
  ]
  return { ...sender, location, item, qty, setQty, onScan, recorded, facts }
}
