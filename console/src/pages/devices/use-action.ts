import { useState } from 'preact/hooks'
import { Problem } from '../../api.ts'

/** A button's work: busy while it runs, and the hub's refusal in its own words if it fails. */
export function useAction() {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState('')
  async function run(work: () => Promise<void>) {
    setBusy(true)
    setError('')
    try {
      await work()
    } catch (err) {
      setError(err instanceof Problem ? err.detail : String(err))
    } finally {
      setBusy(false)
    }
  }
  return { busy, error, run }
}
