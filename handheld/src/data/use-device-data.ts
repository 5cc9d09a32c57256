import { useCallback, useEffect, useState } from 'preact/hooks'
import { ApiProblem, deviceGet } from '../link/device-api.ts'

export interface DeviceData<T> {
  data: T | undefined
  /** Set when the hub could not be reached: when the copy shown was kept (unix ms). */
  staleAt: number | undefined
  error: string
  reload: () => void
}

/** A device API answer for a screen (null: nothing to load yet); offline, the last copy kept on the device. */
export function useDeviceData<T>(path: string | null): DeviceData<T> {
  const [data, setData] = useState<T>()
  const [staleAt, setStaleAt] = useState<number>()
  const [error, setError] = useState('')
  const reload = useCallback(() => {
    if (!path) return
    deviceGet<T>(path).then(
      (answer) => {
        setData(answer.data)
        setStaleAt(answer.stale ? answer.at : undefined)
        setError('')
      },
      (err: unknown) => setError(err instanceof ApiProblem ? err.detail : String(err)),
    )
  }, [path])
  useEffect(reload, [reload])
  return { data, staleAt, error, reload }
}
