import { afterAll, describe, expect, it } from 'vitest'
import type { RowDataPacket } from 'mysql2/promise'
import { connectDatabase } from '../../hub/src/db/connection.ts'
import { inSnapshot } from '../../hub/src/db/transaction.ts'
import { useScenario } from '../helpers/scenario.ts'

const s = useScenario('snapshot', { products: 1, locations: 1, devices: 0, hubs: [] })
let database: ReturnType<typeof connectDatabase> | undefined
afterAll(() => database?.pool.end())

const name = async (db: { query: (sql: string) => Promise<unknown> }) =>
  ((await db.query(`SELECT name FROM products WHERE sku = 'P-1'`)) as [RowDataPacket[]])[0][0]!.name as string

describe('reads in one snapshot', () => {
  it('see one moment on a pool whose sessions read committed, and leave the session as it was', async () => {
    // One connection, so the reads after the snapshot run on the session it used.
    database = connectDatabase(s.env.env.MYSQL_URL!, 1)
    const seen = await inSnapshot(database.pool, async (conn) => {
      const before = await name(conn)
      await s.inspect.db.query(`UPDATE products SET name = 'renamed meanwhile' WHERE sku = 'P-1'`)
      return [before, await name(conn)]
    })
    expect(seen[1]).toBe(seen[0])
    expect(await name(database.pool)).toBe('renamed meanwhile')
    const [[row]] = await database.pool.query<RowDataPacket[]>('SELECT @@tx_isolation AS level')
    expect(row!.level).toBe('READ-COMMITTED')
  })
})
