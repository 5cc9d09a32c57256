import { useState } from 'preact/hooks'
import { ErrorCodes, isErrorCode } from '@wh/shared/errors'
import { Problem } from './api.ts'

/**
 * A refusal as the hub words it: its code's title and what this occurrence was about (the hub's
 * `detail` alone is often just the name it refused, e.g. a SKU).
 */
export function problemText(err: unknown): string {
  if (!(err instanceof Problem)) return String(err)
  const title = isErrorCode(err.code) ? ErrorCodes[err.code].title : ''
  return !title || err.detail === title ? err.detail : `${title}: ${err.detail}`
}

export interface Action {
  busy: boolean
  /** The last refusal, in the hub's words; empty once an action succeeds. */
  error: string
  /** Runs `work` unless one is running; true when it succeeded, and its refusal kept in `error` otherwise. */
  run: (work: () => Promise<unknown>) => Promise<boolean>
  clear: () => void
}

/** One button's or form's request to the hub: busy while it runs, the refusal kept to show. */
export function useAction(): Action {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState('')
  async function run(work: () => Promise<unknown>) {
    if (busy) return false
    setBusy(true)
    setError('')
    try {
      await work()
      return true
    } catch (err) {
      setError(problemText(err))
      return false
    } finally {
      setBusy(false)
    }
  }
  return { busy, error, run, clear: () => setError('') }
}
