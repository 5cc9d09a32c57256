import type { InventoryAsOf, InventoryItem, LotStock } from '@wh/shared'
import { DataTable, Time } from '../../components.tsx'
import { lotName } from './format.ts'

type LiveRow = { location: string; onHand: number; reserved: number; available: number }
type LotRow = LotStock['lots'][number]

const byLocation = <T,>(locations: Record<string, T>) =>
  Object.entries(locations)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([location, figures]) => ({ location, ...figures }))

/** On hand, reserved and available per location now. */
export const LiveLocations = ({ item }: { item: InventoryItem }) => (
  <DataTable<LiveRow>
    caption={`${item.sku} per location, live`}
    rows={byLocation(item.locations)}
    rowKey={(r) => r.location}
    empty="No stock at any location of this site."
    columns={[
      { label: 'Location', cell: (r) => r.location },
      { label: 'On hand', numeric: true, cell: (r) => r.onHand },
      { label: 'Reserved', numeric: true, cell: (r) => r.reserved },
      { label: 'Available', numeric: true, cell: (r) => r.available },
    ]}
  />
)

/** On hand per location at a past instant, summed from the ledger. */
export const PastLocations = ({ stock }: { stock: InventoryAsOf }) => (
  <DataTable<{ location: string; onHand: number }>
    caption={`${stock.sku} per location as of ${new Date(stock.at).toLocaleString()}: ${stock.onHand} on hand`}
    rows={byLocation(stock.locations)}
    rowKey={(r) => r.location}
    empty="Nothing had moved at this site by then."
    columns={[
      { label: 'Location', cell: (r) => r.location },
      { label: 'On hand then', numeric: true, cell: (r) => r.onHand },
    ]}
  />
)

/** The lots holding stock, in the order picks take them (first expiry first). */
export const LotTable = ({ stock }: { stock: LotStock }) => (
  <DataTable<LotRow>
    caption={`${stock.sku} per lot`}
    rows={stock.lots}
    rowKey={(r) => `${r.location}\n${r.lot}`}
    empty="No lot holds stock at this site."
    columns={[
      { label: 'Location', cell: (r) => r.location },
      { label: 'Lot', cell: (r) => lotName(r.lot) },
      { label: 'Expiry', cell: (r) => r.expiry ?? '—' },
      { label: 'Quantity', numeric: true, cell: (r) => r.qty },
      { label: 'PO', cell: (r) => r.poNumber ?? '—' },
      { label: 'Received', cell: (r) => <Time at={r.receivedAt} /> },
    ]}
  />
)
