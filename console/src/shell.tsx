import { useEffect } from 'preact/hooks'
import { useLocation } from 'preact-iso'
import { api } from './api.ts'
import { may, useSession } from './session.tsx'
import { useLoad } from './load.ts'
import { PAGES } from './pages.ts'

const BASE = '/console'

/** The header: the menu of the pages the person may use, the site shown, and the account. */
export function Shell({ children }: { children: preact.ComponentChildren }) {
  const { person, site, setSite, signOut } = useSession()
  const { path } = useLocation()
  const sites = useLoad(() => api<{ sites: { code: string; name: string; active: boolean }[] }>('GET', '/api/sites'), [], {
    topics: ['sites'],
  })
  const codes = (sites.data?.sites ?? []).filter((s) => s.active).map((s) => s.code)
  // The first site the person may see until they pick one.
  useEffect(() => {
    if (codes.length > 0 && !codes.includes(site)) setSite(codes[0]!)
  }, [codes.join(','), site])

  return (
    <>
      <header class="console-bar">
        <nav aria-label="Console">
          <ul>
            <li>
              <strong>Warehouse console</strong>
            </li>
          </ul>
          <ul class="menu">
            {PAGES.filter((p) => !p.hidden && may(person, p.role)).map((p) => (
              <li>
                <a href={BASE + p.path} aria-current={path.startsWith(BASE + p.path) ? 'page' : undefined}>
                  {p.label}
                </a>
              </li>
            ))}
          </ul>
          <ul>
            <li>
              <label class="site-pick">
                Site
                <select value={site} onChange={(e) => setSite((e.currentTarget as HTMLSelectElement).value)}>
                  {codes.map((code) => (
                    <option value={code}>{code}</option>
                  ))}
                </select>
              </label>
            </li>
            <li>
              <a href={`${BASE}/account`} aria-label={`Account of ${person.displayName}`}>
                {person.displayName} ({person.role})
              </a>
            </li>
            <li class="sign-out">
              <button type="button" class="secondary" onClick={() => void signOut()}>
                Sign out
              </button>
            </li>
          </ul>
        </nav>
      </header>
      <main class="container-fluid">{children}</main>
    </>
  )
}
