export * from './catalog.ts'
export * from './stock.ts'
export * from './orders.ts'
