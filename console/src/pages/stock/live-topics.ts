/**
 * What the stock views reload on: any stock change at the site (scans included), voids, office
 * adjustments, and held events (a decision applies one).
 */
export const STOCK_TOPICS = ['stock', 'movements', 'adjustments', 'held-events'] as const
