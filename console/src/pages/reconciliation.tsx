import { Page } from '../components.tsx'

export function Reconciliation() {
  return <Page title="Reconciliation">{null}</Page>
}
