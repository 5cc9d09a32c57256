import type { Route } from '../session/route.ts'

/** The menu under the status bar: home, this device's setup, and a waiting new version. */
export function Menu({ go, update }: { go: (route: Route) => void; update: (() => void) | undefined }) {
  return (
    <nav class="menu" aria-label="Menu">
      <button type="button" class="secondary" onClick={() => go('home')}>
        Home
      </button>
      <button type="button" class="secondary" id="open-setup" onClick={() => go('setup')}>
        Device setup
      </button>
      {update && (
        <button type="button" id="update-app" onClick={update}>
          Load the new version
        </button>
      )}
    </nav>
  )
}
