import type { Pool } from 'mysql2/promise'
import type { ChangeLog } from '../stock/change-log.ts'
import { readFanoutCursor } from './stock-fanout-store.ts'

/**
 * Drops stock changes older than `keepHours`, never one the webhook fan-out has not read yet:
 * an endpoint that is down does not lose a change to the retention. Returns the rows dropped.
 */
export async function pruneChanges(pool: Pool, changeLog: Pick<ChangeLog, 'prune'>, keepHours: number): Promise<number> {
  return changeLog.prune(keepHours * 3600_000, await readFanoutCursor(pool))
}
