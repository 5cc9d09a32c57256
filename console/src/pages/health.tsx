import { Page } from '../components.tsx'

export function Health() {
  return <Page title="Health">{null}</Page>
}
