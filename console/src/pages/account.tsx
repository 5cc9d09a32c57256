import { Page } from '../components.tsx'

export function Account() {
  return <Page title="Account">{null}</Page>
}
