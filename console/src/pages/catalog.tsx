import { Page } from '../components.tsx'

export function Catalog() {
  return <Page title="Catalog">{null}</Page>
}
