import type { PoStatus } from '@wh/shared'

export const STATUS_LABELS: Record<PoStatus, string> = { open: 'Open', closed: 'Closed', cancelled: 'Cancelled' }

/**
 * What changes a PO's figures: its own changes, receipts counted on its lines (announced by the
 * apply stage), and held receipts (over-receipts, unknown POs) being raised or decided.
 */
export const RECEIVING_TOPICS = ['purchase-orders', 'held-events'] as const
