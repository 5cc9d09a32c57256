import { createContext } from 'preact'
import { useContext, useEffect, useState } from 'preact/hooks'
import type { Person, PersonRole, SessionInfo } from '@wh/shared'
import { api, Problem, setCsrfToken, whenSignedOut } from './api.ts'

export interface SessionState {
  person: Person
  /** The site the pages show, chosen in the header; every page that is per site reads it. */
  site: string
  setSite: (site: string) => void
  signOut: () => Promise<void>
}

const Session = createContext<SessionState | null>(null)

/** The signed-in person and the chosen site; only rendered inside a signed-in console. */
export function useSession(): SessionState {
  const state = useContext(Session)
  if (!state) throw new Error('useSession outside a signed-in console')
  return state
}

const RANK: Record<PersonRole, number> = { viewer: 0, supervisor: 1, admin: 2 }
/** Whether the person may do what needs `role`; the hub checks again, this only hides what would be refused. */
export const may = (person: Person, role: PersonRole) => RANK[person.role] >= RANK[role]

const SITE_KEY = 'console.site'

/** Asks the hub who is signed in; renders `signIn` until someone is, `children` after. */
export function SessionGate({
  signIn,
  children,
}: {
  signIn: (done: (info: SessionInfo) => void) => preact.ComponentChildren
  children: preact.ComponentChildren
}) {
  const [info, setInfo] = useState<SessionInfo | null | undefined>(undefined)
  const [site, setSiteState] = useState(localStorage.getItem(SITE_KEY) ?? '')

  useEffect(() => {
    whenSignedOut(() => setInfo(null))
    api<SessionInfo>('GET', '/api/session').then(setInfo, (err: unknown) => {
      if (err instanceof Problem && err.status === 401) setInfo(null)
      else throw err
    })
  }, [])
  if (info) setCsrfToken(info.csrfToken)
  if (info === undefined) return <p aria-busy="true">Loading…</p>
  if (info === null) return <>{signIn(setInfo)}</>

  const setSite = (next: string) => {
    localStorage.setItem(SITE_KEY, next)
    setSiteState(next)
  }
  const signOut = async () => {
    await api('DELETE', '/api/session')
    setInfo(null)
  }
  return <Session.Provider value={{ person: info.person, site, setSite, signOut }}>{children}</Session.Provider>
}
