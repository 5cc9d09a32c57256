import { useState } from 'preact/hooks'
import type { InventoryAsOf, InventoryItem, LotStock } from '@wh/shared'
import { api, query } from '../../api.ts'
import { ProblemNote } from '../../components.tsx'
import { useLoad } from '../../load.ts'
import { may, useSession } from '../../session.tsx'
import { AdjustForm } from './adjust-form.tsx'
import { AsOfPicker } from './as-of-picker.tsx'
import { STOCK_TOPICS } from './live-topics.ts'
import { LiveLocations, LotTable, PastLocations } from './stock-tables.tsx'
import { MovementHistory } from './movement-history.tsx'

/**
 * One product at the site: its stock per location (now, live, or as of a past instant), its lots
 * with expiry dates, an office adjustment (supervisors), and its movements.
 */
export function ProductStock({ site, sku, backHref }: { site: string; sku: string; backHref: string }) {
  const { person } = useSession()
  const [at, setAt] = useState<string | null>(null)
  const path = `/api/inventory/${encodeURIComponent(sku)}`
  const live = { topics: STOCK_TOPICS, site }
  const now = useLoad(() => api<InventoryItem>('GET', path + query({ site })), [path, site], live)
  const lots = useLoad(() => api<LotStock>('GET', `${path}/lots${query({ site })}`), [path, site], live)
  // The past does not change, so it is not reloaded on changes.
  const past = useLoad(() => (at ? api<InventoryAsOf>('GET', path + query({ site, at })) : Promise.resolve(undefined)), [path, site, at])

  return (
    <>
      <p>
        <a href={backHref}>← Back to the products</a>
      </p>
      <ProblemNote error={now.error} />
      {now.data && (
        <>
          <h2>
            {now.data.sku} — {now.data.name}
          </h2>
          <p class="stock-totals" aria-label={`Totals at ${site}`}>
            <span>
              On hand <strong>{now.data.onHand}</strong>
            </span>
            <span>
              Reserved <strong>{now.data.reserved}</strong>
            </span>
            <span>
              Available <strong>{now.data.available}</strong>
            </span>
          </p>
        </>
      )}
      <div class="stock-panels">
        <section aria-labelledby="stock-by-location">
          <h3 id="stock-by-location">By location</h3>
          <AsOfPicker at={at} setAt={setAt} />
          {at ? (
            <>
              <ProblemNote error={past.error} />
              {past.data && <PastLocations stock={past.data} />}
            </>
          ) : (
            now.data && <LiveLocations item={now.data} />
          )}
        </section>
        <section aria-labelledby="stock-by-lot">
          <h3 id="stock-by-lot">By lot, now</h3>
          <ProblemNote error={lots.error} />
          {lots.data && <LotTable stock={lots.data} />}
        </section>
        {may(person, 'supervisor') && (
          <section aria-labelledby="stock-adjust">
            <h3 id="stock-adjust">Office adjustment</h3>
            <AdjustForm site={site} sku={sku} />
          </section>
        )}
      </div>
      <MovementHistory site={site} sku={sku} canVoid={may(person, 'supervisor')} />
    </>
  )
}
