import mysql from 'mysql2/promise'
import { randomUUID } from 'node:crypto'

/**
 * Ceiling 1: the write path a naive hub would have. One durable transaction per event (UPDATE the
 * stock level, INSERT the ledger row), from 32 connections, on the same tables the hub uses.
 */
export async function mysqlOneTxPerEvent(url: string, pairs: [number, number][], seconds: number): Promise<number> {
  const pool = mysql.createPool({ uri: url, connectionLimit: 32 })
  let done = 0
  const until = performance.now() + seconds * 1000
  const t0 = performance.now()
  await Promise.all(
    Array.from({ length: 32 }, async (_, worker) => {
      const conn = await pool.getConnection()
      for (let i = worker; performance.now() < until; i += 32) {
        const [product, location] = pairs[i % pairs.length]!
        await conn.beginTransaction()
        await conn.query('UPDATE stock_levels SET on_hand = on_hand + 1, version = version + 1 WHERE product_id = ? AND location_id = ?', [
          product,
          location,
        ])
        await conn.query(
          `INSERT INTO stock_movements (event_id, type, product_id, location_id, qty_delta, on_hand_after, triggered_by)
           VALUES (?, 'receive', ?, ?, 1, 0, 'bench')`,
          [randomUUID(), product, location],
        )
        await conn.commit()
        done++
      }
      conn.release()
    }),
  )
  const rate = done / ((performance.now() - t0) / 1000)
  await pool.end()
  return Math.round(rate)
}
