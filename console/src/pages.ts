import type { PersonRole } from '@wh/shared'
import type { FunctionComponent } from 'preact'
import { Exceptions } from './pages/exceptions.tsx'
import { Stock } from './pages/stock.tsx'
import { Receiving } from './pages/receiving.tsx'
import { Catalog } from './pages/catalog.tsx'
import { Devices } from './pages/devices.tsx'
import { Reconciliation } from './pages/reconciliation.tsx'
import { Audit } from './pages/audit.tsx'
import { Health } from './pages/health.tsx'
import { Webhooks } from './pages/webhooks.tsx'
import { People } from './pages/people.tsx'
import { Account } from './pages/account.tsx'

export interface ConsolePage {
  path: string
  label: string
  /** The least role that sees the page in the menu (the hub refuses what a role may not do anyway). */
  role: PersonRole
  component: FunctionComponent
  /** Pages reached from elsewhere, not listed in the menu. */
  hidden?: boolean
}

/** Every page of the console, in menu order; `/console/` opens the first. */
export const PAGES: readonly ConsolePage[] = [
  { path: '/exceptions', label: 'Exceptions', role: 'viewer', component: Exceptions },
  { path: '/stock', label: 'Stock', role: 'viewer', component: Stock },
  { path: '/receiving', label: 'Receiving', role: 'viewer', component: Receiving },
  { path: '/catalog', label: 'Catalog', role: 'viewer', component: Catalog },
  { path: '/devices', label: 'Devices & keys', role: 'admin', component: Devices },
  { path: '/webhooks', label: 'Storefront sync', role: 'admin', component: Webhooks },
  { path: '/reconciliation', label: 'Reconciliation', role: 'viewer', component: Reconciliation },
  { path: '/audit', label: 'Audit log', role: 'supervisor', component: Audit },
  { path: '/health', label: 'Health', role: 'viewer', component: Health },
  { path: '/people', label: 'People', role: 'admin', component: People },
  { path: '/account', label: 'Account', role: 'viewer', component: Account, hidden: true },
]
