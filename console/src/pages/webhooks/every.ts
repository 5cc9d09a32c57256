import { useEffect } from 'preact/hooks'

/**
 * Deliveries succeed and fail in a worker, and nobody announces each attempt: a page showing
 * them asks again this often while it is open.
 */
export const REFRESH_MS = 3000

/** Calls `reload` every `ms` while the component is shown and `on`. */
export function useEvery(reload: () => void, on = true, ms = REFRESH_MS) {
  useEffect(() => {
    if (!on) return
    const timer = setInterval(reload, ms)
    return () => clearInterval(timer)
  }, [reload, on, ms])
}
