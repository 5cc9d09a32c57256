import { createContext } from 'preact'
import { useContext } from 'preact/hooks'
import type { ScanInput } from '@wh/devices/browser'
import type { LinkState } from '../link/link.ts'
import type { DeviceSetup } from '../link/setup.ts'
import type { Route } from './route.ts'

/** What every screen on the floor uses: the device, the link's state, scanning, and moving between screens. */
export interface Floor {
  setup: DeviceSetup
  state: LinkState
  scan: (input: ScanInput) => Promise<unknown>
  go: (route: Route) => void
  /** The site's location codes, once loaded (session/location-codes.ts). */
  locations: Promise<ReadonlySet<string>>
}

export const FloorContext = createContext<Floor | null>(null)

export function useFloor(): Floor {
  const floor = useContext(FloorContext)
  if (!floor) throw new Error('useFloor outside the floor')
  return floor
}
