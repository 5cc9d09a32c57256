import { signEvent } from '@wh/shared/signing'
import { OutboxFile, type OutboxOptions } from '../outbox/outbox-file.ts'
import type { Outbox } from '../outbox/outbox.ts'
import { ScannerClient, type ScannerClientOptions } from '../scanner-client.ts'

export interface NodeScannerOptions extends Omit<ScannerClientOptions, 'store' | 'sign'> {
  /** The outbox log file; it must survive the app (not a temp dir that is wiped on boot). */
  outboxPath?: string
  outbox?: OutboxOptions
  /** An outbox already open instead of the file at `outboxPath` (a load generator's MemoryOutbox). */
  store?: Outbox
}

/**
 * A ScannerClient as a Node program wants it: its outbox a file (opened here unless given), its
 * events signed with node:crypto, which is synchronous and what the hub verifies with.
 */
export async function startScanner({ outboxPath, outbox, store, ...options }: NodeScannerOptions): Promise<ScannerClient> {
  if (!store && !outboxPath) throw new Error('a scanner needs an outboxPath (or a store)')
  const opened = store ?? (await OutboxFile.open(outboxPath!, outbox))
  try {
    return await ScannerClient.start({ ...options, store: opened, sign: (event) => signEvent(event, options.secret) })
  } catch (err) {
    if (!store) await opened.close()
    throw err
  }
}
