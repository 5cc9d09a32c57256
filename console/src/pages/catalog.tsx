import { useLocation } from 'preact-iso'
import { Page } from '../components.tsx'
import { may, useSession } from '../session.tsx'
import { catalogHref, SECTIONS, type Section } from './catalog/catalog-href.ts'
import { CsvImport } from './catalog/csv-import.tsx'
import { Locations } from './catalog/locations.tsx'
import { Products } from './catalog/products.tsx'

/**
 * The catalog: products with their GTINs, the chosen site's locations and the CSV import with its
 * dry run. Everyone reads it; only an admin changes it (the hub refuses anyone else anyway).
 */
export function Catalog() {
  const { person, site } = useSession()
  const { query } = useLocation()
  const admin = may(person, 'admin')
  const shown = (Object.keys(SECTIONS) as Section[]).filter((s) => s !== 'import' || admin)
  const section = shown.find((s) => s === query.section) ?? 'products'

  return (
    <Page title="Catalog">
      <nav aria-label="Catalog sections" class="section-nav">
        <ul>
          {shown.map((s) => (
            <li>
              <a href={catalogHref({ section: s })} aria-current={s === section ? 'page' : undefined}>
                {SECTIONS[s]}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {!admin && <p>You may read the catalog; an admin changes it.</p>}
      {section === 'products' && <Products sku={query.sku} canChange={admin} />}
      {section === 'locations' && <Locations site={site} canChange={admin} />}
      {section === 'import' && <CsvImport />}
    </Page>
  )
}
