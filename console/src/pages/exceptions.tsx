import { Page } from '../components.tsx'

export function Exceptions() {
  return <Page title="Exceptions">{null}</Page>
}
