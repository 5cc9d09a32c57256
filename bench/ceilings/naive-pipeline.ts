import { fork } from 'node:child_process'
import net from 'node:net'
import { fileURLToPath } from 'node:url'
import mysql from 'mysql2/promise'
import mqtt from 'mqtt'
import { createClient } from 'redis'
import { createTopics, type ScanEvent } from '@wh/shared'
import { verifyEventSignature } from '@wh/shared/signing'
import { testDeviceSecret } from '../../tests/helpers/device-secrets.ts'

export interface NaiveOptions {
  brokerUrl: string
  mysqlUrl: string
  redisUrl: string
  topicRoot: string
  products: [string, number][]
  locations: [string, number][]
}

/**
 * Ceiling 3: what a user could write in an afternoon. Each MQTT message is acked on receipt, then
 * gets its own transaction, a cache write and a socket push: no queue, no ordering, no batching,
 * no idempotency. It does check each event's signature, as the hub must, so the comparison stays
 * fair. It runs in its own process, as the hub does (`forkNaivePipeline`).
 */
async function runNaivePipeline(opts: NaiveOptions) {
  const o = { ...opts, products: new Map(opts.products), locations: new Map(opts.locations) }
  const topics = createTopics(o.topicRoot)
  const pool = mysql.createPool({ uri: o.mysqlUrl, connectionLimit: 32 })
  const redis = createClient({ url: o.redisUrl })
  await redis.connect()
  const sink = net.createServer((s) => s.resume()).listen(0, '127.0.0.1')
  await new Promise((r) => sink.once('listening', r))
  const screen = net.connect((sink.address() as net.AddressInfo).port, '127.0.0.1')
  const client = await mqtt.connectAsync(o.brokerUrl, { protocolVersion: 5, properties: { receiveMaximum: 65535 } })
  let completed = 0
  const secrets = new Map<string, string>()
  const secretOf = (id: string) => secrets.get(id) ?? secrets.set(id, testDeviceSecret(id)).get(id)!
  client.on('message', (topic, payload) => {
    const t = topics.parse(topic)!
    const e = JSON.parse(payload.toString()) as ScanEvent
    if (e.deviceId !== t.deviceId || !verifyEventSignature(e, secretOf(t.deviceId))) return
    client.publish(topics.acks(t.site, t.deviceId), JSON.stringify({ eventId: e.eventId, status: 'applied' }), { qos: 1 })
    void (async () => {
      const [product, location] = [o.products.get(e.barcode)!, o.locations.get(e.location)!]
      const conn = await pool.getConnection()
      try {
        await conn.beginTransaction()
        await conn.query('UPDATE stock_levels SET on_hand = on_hand + ?, version = version + 1 WHERE product_id = ? AND location_id = ?', [
          e.qty,
          product,
          location,
        ])
        await conn.query(
          `INSERT INTO stock_movements (event_id, type, product_id, location_id, qty_delta, on_hand_after, triggered_by) VALUES (?, ?, ?, ?, ?, 0, 'naive')`,
          [e.eventId, e.type, product, location, e.qty],
        )
        await conn.commit()
      } finally {
        conn.release()
      }
      await redis.hIncrBy(`${o.topicRoot}:naive:${e.barcode}`, e.location, e.qty ?? 1)
      screen.write(`${JSON.stringify(e)}\n`)
      completed++
    })().catch(() => undefined) // work still queued when the pool closes at the end
  })
  await client.subscribeAsync(`${o.topicRoot}/+/devices/+/events`, { qos: 1 })
  return {
    /** Completed events per second over `forMs`, after `afterMs`. */
    async measure(afterMs: number, forMs: number): Promise<number> {
      await new Promise((r) => setTimeout(r, afterMs))
      const before = completed
      await new Promise((r) => setTimeout(r, forMs))
      return Math.round(((completed - before) * 1000) / forMs)
    },
    async close() {
      await client.endAsync()
      await new Promise((r) => setTimeout(r, 500))
      await pool.end()
      await redis.close()
      screen.destroy()
      sink.close()
    },
  }
}

/** The naive pipeline in a child process; `stop` resolves with its completed events per second. */
export async function forkNaivePipeline(options: NaiveOptions) {
  const child = fork(fileURLToPath(import.meta.url), [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' })
  const reply = () => new Promise<unknown>((resolve) => child.once('message', resolve))
  child.send({ start: options })
  await reply()
  return {
    async measure(afterMs: number, forMs: number): Promise<number> {
      child.send({ measure: [afterMs, forMs] })
      return (await reply()) as number
    },
    async close() {
      child.send({ close: true })
      await reply()
      child.kill()
    },
  }
}

if (process.send && process.argv[1] === fileURLToPath(import.meta.url)) {
  let pipeline: Awaited<ReturnType<typeof runNaivePipeline>> | undefined
  process.on('message', async (m: { start?: NaiveOptions; measure?: [number, number]; close?: boolean }) => {
    if (m.start) {
      pipeline = await runNaivePipeline(m.start)
      process.send!('ready')
    } else if (m.measure) process.send!(await pipeline!.measure(...m.measure))
    else if (m.close) {
      await pipeline!.close()
      process.send!('closed')
    }
  })
}
