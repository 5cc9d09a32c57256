import { useEffect, useState } from 'preact/hooks'
import { useSetup } from './link/use-link.ts'
import { registerServiceWorker } from './pwa/register.ts'
import { Floor } from './screens/floor.tsx'
import { SetupScreen } from './setup/setup-screen.tsx'

/** The handheld: its setup first, from the device's own storage; the floor once it has one. */
export function App() {
  const setup = useSetup()
  const [update, setUpdate] = useState<() => void>()
  useEffect(() => registerServiceWorker((reload) => setUpdate(() => reload)), [])
  // undefined: still reading the device's storage.
  if (setup === undefined) return <main class="container" aria-busy="true" />
  if (setup === null)
    return (
      <main class="container">
        <SetupScreen />
      </main>
    )
  return <Floor setup={setup} update={update} />
}
