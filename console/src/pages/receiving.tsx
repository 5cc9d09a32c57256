import { Page } from '../components.tsx'

export function Receiving() {
  return <Page title="Receiving">{null}</Page>
}
