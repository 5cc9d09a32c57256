// The browser's entry: nothing here may import node: (the handheld app bundles it with Vite).
export * from './scanner-client.ts'
export * from './outbox/outbox.ts'
export * from './outbox/held-events.ts'
