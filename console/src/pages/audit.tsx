import { Page } from '../components.tsx'

export function Audit() {
  return <Page title="Audit">{null}</Page>
}
