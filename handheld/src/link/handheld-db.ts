import { openDB, type DBSchema, type IDBPDatabase } from 'idb'
import type { ScanEvent } from '@wh/shared'
import type { Outcome } from './link-state.ts'

/** What the handheld keeps on the device, in one IndexedDB database. */
interface HandheldSchema extends DBSchema {
  /** The outbox: scans not yet acknowledged by the hub. */
  events: { key: string; value: ScanEvent; indexes: { byDevice: [string, number] } }
  /** `setup` (the provisioning), `nextSeq/<deviceId>` (the next deviceSeq to give). */
  meta: { key: string; value: unknown }
  /** The last outcomes shown, so a reload still shows them. */
  outcomes: { key: string; value: Outcome & { deviceId: string }; indexes: { byTime: number } }
  /** Device API answers by `<deviceId> <path>`, shown (marked stale) when the network is gone. */
  answers: { key: string; value: { at: number; data: unknown } }
}

export type HandheldDb = IDBPDatabase<HandheldSchema>

const NAME = 'wh-handheld'
let opened: Promise<HandheldDb> | undefined

/** The database, opened once per page and shared by the link's modules. */
export function openHandheldDb(): Promise<HandheldDb> {
  opened ??= openDB<HandheldSchema>(NAME, 1, {
    upgrade(db) {
      db.createObjectStore('events', { keyPath: 'eventId' }).createIndex('byDevice', ['deviceId', 'deviceSeq'])
      db.createObjectStore('meta')
      db.createObjectStore('outcomes', { keyPath: 'eventId' }).createIndex('byTime', 'at')
      db.createObjectStore('answers')
    },
    // Another tab upgrading (a newer app version) needs this one to let go.
    blocking() {
      void opened?.then((db) => db.close())
      opened = undefined
    },
  })
  return opened
}

/** Every event key of one device, in deviceSeq order. */
export const deviceRange = (deviceId: string) => IDBKeyRange.bound([deviceId, 0], [deviceId, Number.MAX_SAFE_INTEGER])

/** Writes that must survive a crash or power loss once they resolve (not only reach the OS). */
export const STRICT = { durability: 'strict' } as const
