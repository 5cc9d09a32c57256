import { Page } from '../components.tsx'
import { may, useSession } from '../session.tsx'
import { DeviceSection } from './devices/device-section.tsx'
import { KeySection } from './devices/key-section.tsx'
import { ScreenSection } from './devices/screen-section.tsx'

/** Admin: the shown site's scanners and floor screens, and the API keys of programs. */
export function Devices() {
  const { person, site } = useSession()
  if (!may(person, 'admin'))
    return (
      <Page title="Devices & keys">
        <p>Only an admin manages devices, floor screens and API keys.</p>
      </Page>
    )
  return (
    <Page title="Devices & keys">
      <DeviceSection site={site} />
      <ScreenSection site={site} />
      <KeySection />
    </Page>
  )
}
