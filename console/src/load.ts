import { useCallback, useEffect, useState } from 'preact/hooks'
import { useChanges } from './live.ts'
import { problemText } from './action.ts'

export interface Loaded<T> {
  data: T | undefined
  error: string
  reload: () => void
}

/**
 * Loads what a page shows, again when `deps` change and whenever the hub reports a change under
 * `topics` for `site`. Keeps the last data while reloading, so a live page does not flicker.
 */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[], live?: { topics: readonly string[]; site?: string }): Loaded<T> {
  const [data, setData] = useState<T>()
  const [error, setError] = useState('')
  const reload = useCallback(() => {
    load().then(
      (value) => {
        setData(value)
        setError('')
      },
      (err: unknown) => setError(problemText(err)),
    )
  }, deps)
  useEffect(reload, [reload])
  useChanges(live?.topics ?? [], live?.site, reload)
  return { data, error, reload }
}
