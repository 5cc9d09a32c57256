import { openDB, type DBSchema, type IDBPDatabase } from 'idb'
import type { ScanEvent } from '@wh/shared'
import type { SettledEvent } from '@wh/devices/browser'
import type { Outcome } from './link-state.ts'

/** What the handheld keeps on the device, in one IndexedDB database. */
export interface HandheldSchema extends DBSchema {
  /** The outbox: scans not yet acknowledged by the hub. */
  events: { key: string; value: ScanEvent; indexes: { byDevice: [string, number] } }
  /**
   * The outbox's history: acknowledged scans kept for a resync after the hub's database is
   * restored. One also in `events` was brought back by a sync and is pending again.
   */
  settled: { key: string; value: SettledEvent; indexes: { byDevice: [string, number] } }
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
  opened ??= openDB<HandheldSchema>(NAME, 2, {
    upgrade(db, oldVersion) {
      if (oldVersion < 1) {
        db.createObjectStore('events', { keyPath: 'eventId' }).createIndex('byDevice', ['deviceId', 'deviceSeq'])
        db.createObjectStore('meta')
        db.createObjectStore('outcomes', { keyPath: 'eventId' }).createIndex('byTime', 'at')
        db.createObjectStore('answers')
      }
      if (oldVersion < 2)
        db.createObjectStore('settled', { keyPath: 'event.eventId' }).createIndex('byDevice', ['event.deviceId', 'event.deviceSeq'])
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
