import { Page } from '../components.tsx'

export function People() {
  return <Page title="People">{null}</Page>
}
