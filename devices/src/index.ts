export * from './scanner-client.ts'
export * from './outbox/outbox-file.ts'
export * from './outbox/memory-outbox.ts'
