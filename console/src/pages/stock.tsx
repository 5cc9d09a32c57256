import { Page } from '../components.tsx'

export function Stock() {
  return <Page title="Stock">{null}</Page>
}
