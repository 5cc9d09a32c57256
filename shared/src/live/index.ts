export * from './live-messages.ts'
export * from './live-close-codes.ts'
export * from './live-view.ts'
export * from './live-client.ts'
