import { useEffect, useState } from 'preact/hooks'

export const WORKFLOWS = ['receive', 'move', 'pick', 'count', 'adjust'] as const
export type Workflow = (typeof WORKFLOWS)[number]
export type Route = 'home' | 'setup' | Workflow

const ROUTES: readonly string[] = ['home', 'setup', ...WORKFLOWS]
const read = (): Route => {
  const name = location.hash.slice(1)
  return ROUTES.includes(name) ? (name as Route) : 'home'
}

/**
 * The screen shown, kept in the address's hash: Android's back button goes back a screen instead
 * of leaving the app, and the service worker serves the same page for every screen.
 */
export function useRoute(): [Route, (next: Route) => void] {
  const [route, setRoute] = useState(read)
  useEffect(() => {
    const onChange = () => setRoute(read())
    window.addEventListener('hashchange', onChange)
    return () => window.removeEventListener('hashchange', onChange)
  }, [])
  return [route, (next) => void (location.hash = next === 'home' ? '' : next)]
}
