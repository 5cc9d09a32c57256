import { useEffect, useMemo, useState } from 'preact/hooks'
import { useOutcomeFeedback } from '../feedback/use-outcome-feedback.ts'
import type { DeviceSetup } from '../link/setup.ts'
import { useLink } from '../link/use-link.ts'
import { OutcomeAnnouncer } from '../outcomes/outcome-announcer.tsx'
import { FloorContext } from '../session/floor-context.ts'
import { loadLocationCodes } from '../session/location-codes.ts'
import { useRoute, type Route } from '../session/route.ts'
import { SetupScreen } from '../setup/setup-screen.tsx'
import { RefusedBanner } from '../status/refused-banner.tsx'
import { StatusBar } from '../status/status-bar.tsx'
import { Adjust } from '../workflows/adjust.tsx'
import { Count } from '../workflows/count.tsx'
import { Move } from '../workflows/move.tsx'
import { Pick } from '../workflows/pick.tsx'
import { Receive } from '../workflows/receive.tsx'
import { HomeScreen } from './home-screen.tsx'
import { Menu } from './menu.tsx'

const SCREENS = { home: HomeScreen, receive: Receive, move: Move, pick: Pick, count: Count, adjust: Adjust }

/** The app once the device is set up: the status bar and banners on top, then the screen of the route. */
export function Floor({ setup, update }: { setup: DeviceSetup; update?: () => void }) {
  const { state, scan } = useLink()
  const [route, go] = useRoute()
  const [menu, setMenu] = useState(false)
  // A new screen starts at its top (the page keeps the last one's scroll otherwise).
  useEffect(() => window.scrollTo(0, 0), [route])
  useOutcomeFeedback(state.outcomes)
  // Loaded again when the hub is reached again: a location added meanwhile is known from then on.
  const online = state.connection === 'online'
  const locations = useMemo(loadLocationCodes, [setup.deviceId, online])
  const navigate = (next: Route) => {
    setMenu(false)
    go(next)
  }
  const Screen = route === 'setup' ? null : SCREENS[route]
  return (
    <FloorContext.Provider value={{ setup, state, scan, go: navigate, locations }}>
      <StatusBar deviceId={setup.deviceId} state={state} onMenu={() => setMenu(!menu)} />
      {menu && <Menu go={navigate} update={update} />}
      <main class="container">
        {state.refused && route !== 'setup' && (
          <RefusedBanner refused={state.refused} pending={state.pending} onSetup={() => navigate('setup')} />
        )}
        {state.otherTab ? (
          <section class="other-tab" role="alert" data-testid="other-tab">
            <h1>Open in another tab</h1>
            <p>
              This app is already open in another tab or window of this browser, which does the scanning. Close this one, or close the other
              and reload.
            </p>
          </section>
        ) : Screen ? (
          <Screen key={route} />
        ) : (
          <SetupScreen current={setup} onCancel={() => navigate('home')} onSaved={() => navigate('home')} />
        )}
      </main>
      <OutcomeAnnouncer latest={state.outcomes[0]} />
    </FloorContext.Provider>
  )
}
