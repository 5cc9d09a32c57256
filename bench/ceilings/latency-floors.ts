import mqtt from 'mqtt'
import mysql from 'mysql2/promise'
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { once } from 'node:events'
import { connect, type Socket } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { percentile } from '../../devices/src/sim/fleet-stats.ts'
import { cpuMeter } from '../load/cpu-meter.ts'

export interface LatencyFloor {
  p50: number
  p99: number
}

/** Sample rate of the floors: low enough that the parts are idle between samples. */
const SAMPLES_PER_S = 100

const floor = (samples: number[]): LatencyFloor => {
  const sorted = samples.sort((a, b) => a - b)
  return { p50: round1(percentile(sorted, 0.5)), p99: round1(percentile(sorted, 0.99)) }
}
const round1 = (x: number) => Math.round(x * 10) / 10

/**
 * The two MQTT hops every event and its ack take, alone: a device publishes (QoS 1), an echo
 * client answers on another topic (QoS 1), as the hub would with no work between, and the device
 * times the answer.
 */
export async function mqttRoundTrip(brokerUrl: string, topicRoot: string, seconds: number): Promise<LatencyFloor> {
  // Both ends turn Nagle off, as the scanner client and the hub do: with it, a small publish
  // waits for the peer's delayed ACK (~40 ms).
  const connect = async () => {
    const client = await mqtt.connectAsync(brokerUrl, { protocolVersion: 5 })
    ;(client.stream as Socket).setNoDelay(true)
    return client
  }
  const [device, echo] = await Promise.all([connect(), connect()])
  const [there, back] = [`${topicRoot}/floor/there`, `${topicRoot}/floor/back`]
  await echo.subscribeAsync(there, { qos: 1 })
  echo.on('message', (_topic, payload) => echo.publish(back, payload, { qos: 1 }))
  await device.subscribeAsync(back, { qos: 1 })
  const sentAt = new Map<string, number>()
  const samples: number[] = []
  device.on('message', (_topic, payload) => {
    const id = payload.toString('utf8', 0, 36)
    const at = sentAt.get(id)
    // A QoS 1 redelivery of an answer already timed is not a sample.
    if (at === undefined) return
    samples.push(performance.now() - at)
    sentAt.delete(id)
  })
  const body = Buffer.alloc(264, 'x') // with the id, about the size of a scan event
  const until = performance.now() + seconds * 1000
  while (performance.now() < until) {
    const id = randomUUID()
    sentAt.set(id, performance.now())
    device.publish(there, Buffer.concat([Buffer.from(id), body]), { qos: 1 })
    await sleep(1000 / SAMPLES_PER_S)
  }
  await sleep(200)
  await Promise.all([device, echo].map((c) => c.endAsync()))
  return floor(samples)
}

/**
 * One durable transaction shaped like a small batch, alone: locking reads of two stock levels
 * (opened with the transaction, one round trip), then a level update, a ledger row and the commit
 * (the second round trip), as the hub's worker sends them.
 */
export async function mysqlTransaction(url: string, pairs: [number, number][], seconds: number): Promise<LatencyFloor> {
  const conn = await mysql.createConnection({ uri: url, multipleStatements: true })
  const samples: number[] = []
  const until = performance.now() + seconds * 1000
  for (let i = 0; performance.now() < until; i++) {
    const [a, b] = [pairs[i % pairs.length]!, pairs[(i + 1) % pairs.length]!]
    const started = performance.now()
    await conn.query(
      `START TRANSACTION; SELECT on_hand, version FROM stock_levels WHERE (product_id, location_id) IN (?) ORDER BY product_id, location_id FOR UPDATE`,
      [[a, b]],
    )
    await conn.query(
      `UPDATE stock_levels SET on_hand = on_hand + 1, version = version + 1 WHERE product_id = ? AND location_id = ?;
       INSERT INTO stock_movements (event_id, type, product_id, location_id, qty_delta, on_hand_after, triggered_by)
         VALUES (?, 'receive', ?, ?, 1, 0, 'bench'); COMMIT`,
      [a[0], a[1], randomUUID(), a[0], a[1]],
    )
    samples.push(performance.now() - started)
    await sleep(1000 / SAMPLES_PER_S)
  }
  await conn.end()
  return floor(samples)
}

/** A TCP echo server that prints its port: small enough to pass to `node -e`. */
const ECHO_SERVER = `const s = require('net').createServer((c) => { c.setNoDelay(true); c.on('data', (d) => c.write(d)) })
s.listen(0, '127.0.0.1', () => console.log(s.address().port))`

export interface HopCost {
  /** CPU microseconds per round trip, both processes together, one message each millisecond. */
  pacedUs: number
  /** The same, messages back to back (each end busy, never idle between them). */
  backToBackUs: number
}

/**
 * What one message to another process and back costs in CPU, both ends together: the price of
 * every hop an event takes (scanner, broker, hub, Redis, MariaDB, floor screen). One message a
 * millisecond, as at 1,000 events/s, lets both ends fall idle between messages, and waking a
 * process is most of the price on a virtual machine; back to back shows the price without it.
 */
export async function processRoundTrip(seconds: number): Promise<HopCost> {
  const echo = spawn(process.execPath, ['-e', ECHO_SERVER], { stdio: ['ignore', 'pipe', 'inherit'] })
  try {
    // Settled by whichever comes first; an exit after the port (the kill below) changes nothing.
    const port = await new Promise<number>((resolve, reject) => {
      echo.stdout.once('data', (chunk: Buffer) => resolve(Number(String(chunk))))
      echo.once('exit', () => reject(new Error('the echo server for the round-trip floor did not start')))
    })
    const socket = connect(port, '127.0.0.1')
    await once(socket, 'connect')
    socket.setNoDelay(true)
    const meter = cpuMeter({ here: process.pid, echo: echo.pid })
    const measure = async (pauseMs: number) => {
      meter.start()
      let trips = 0
      for (const until = performance.now() + seconds * 1000; performance.now() < until; trips++) {
        const answer = once(socket, 'data')
        socket.write('x')
        await answer
        if (pauseMs > 0) await sleep(pauseMs)
      }
      const used = meter.stop()
      return Math.round(((used.here! + used.echo!) * 1e6) / trips)
    }
    const pacedUs = await measure(1)
    const backToBackUs = await measure(0)
    socket.destroy()
    return { pacedUs, backToBackUs }
  } finally {
    echo.kill()
  }
}
