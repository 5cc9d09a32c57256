import { useState } from 'preact/hooks'
import type { ScanInput } from '@wh/devices/browser'
import { useFloor } from '../session/floor-context.ts'

/**
 * Sends scans through the link (into the outbox: online or not) and keeps what went wrong on
 * the device itself (a field the event schema refuses, a full outbox) to show on the screen.
 */
export function useSender() {
  const { scan } = useFloor()
  const [problem, setProblem] = useState('')
  const send = async (input: ScanInput): Promise<boolean> => {
    try {
      await scan(input)
      setProblem('')
      return true
    } catch (err) {
      setProblem(err instanceof Error ? err.message : String(err))
      return false
    }
  }
  return { problem, setProblem, send }
}
