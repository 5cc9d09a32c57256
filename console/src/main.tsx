import { render } from 'preact'
import { LocationProvider, Route, Router } from 'preact-iso'
import '@picocss/pico/css/pico.min.css'
import './styles.css'
import { SessionGate } from './session.tsx'
import { SignIn } from './sign-in.tsx'
import { Shell } from './shell.tsx'
import { PAGES } from './pages.ts'

const BASE = '/console'

function Console() {
  return (
    <SessionGate signIn={(done) => <SignIn done={done} />}>
      <LocationProvider scope={BASE}>
        <Shell>
          <Router>
            {[
              ...PAGES.map((p) => <Route path={BASE + p.path} component={p.component} />),
              <Route default component={PAGES[0]!.component} />,
            ]}
          </Router>
        </Shell>
      </LocationProvider>
    </SessionGate>
  )
}

render(<Console />, document.getElementById('app')!)
