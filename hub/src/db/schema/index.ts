export * from './catalog.ts'
export * from './stock.ts'
