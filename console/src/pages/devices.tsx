import { Page } from '../components.tsx'

export function Devices() {
  return <Page title="Devices">{null}</Page>
}
