import { fork } from 'node:child_process'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { percentile } from '../../devices/src/sim/fleet-stats.ts'

/** Wall-clock milliseconds with a fraction, comparable between the bench's processes. */
export const wallMs = () => performance.timeOrigin + performance.now()

interface StockItem {
  sku: string
  onHand: number
}

/** Per receiver and SKU, when each receipt of one unit was first seen (index = receipts since the start). */
type Arrivals = Map<string, number[]>

export interface ReceiverFigures {
  /** `stock.changed` messages and the items in them, over all receivers. */
  messages: number
  items: number
  /** Receipts seen by every receiver (of those sent), and the arrivals' lag from the scan. */
  complete: boolean
  lagMs: { p50: number; p99: number; max: number }
}

/**
 * Endpoints as light as a storefront's should be: read the body, take the items, answer 204; no
 * signature check (the delivery tests verify signatures; here it would be the receivers' CPU).
 * A receipt of one unit raises the site's on hand by one, so the on hand of an item says how
 * many of that SKU's receipts it carries, even when changes were coalesced.
 */
async function startReceivers(count: number, base: Record<string, number>) {
  const arrivals: Arrivals[] = Array.from({ length: count }, () => new Map())
  let messages = 0
  let items = 0
  const servers: Server[] = []
  for (let r = 0; r < count; r++) {
    const server = createServer((request, response) => {
      const chunks: Buffer[] = []
      request.on('data', (c: Buffer) => chunks.push(c))
      request.on('end', () => {
        const now = wallMs()
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { type: string; data: { items?: StockItem[] } }
        response.writeHead(204).end()
        if (body.type !== 'stock.changed') return
        messages++
        for (const item of body.data.items ?? []) {
          items++
          const seen = arrivals[r]!.get(item.sku) ?? []
          for (let i = seen.length; i < item.onHand - (base[item.sku] ?? 0); i++) seen.push(now)
          arrivals[r]!.set(item.sku, seen)
        }
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    servers.push(server)
  }
  return {
    urls: servers.map((s) => `http://127.0.0.1:${(s.address() as AddressInfo).port}/`),
    counts: () => ({ messages, items }),
    /** Receipts (per SKU, their scan times; -1 for the warm-up's) against what each receiver saw. */
    figures(sent: Record<string, number[]>): ReceiverFigures {
      const lags: number[] = []
      let complete = true
      for (const seen of arrivals)
        for (const [sku, times] of Object.entries(sent)) {
          const at = seen.get(sku) ?? []
          if (at.length < times.length) complete = false
          times.forEach((t, i) => t >= 0 && at[i] !== undefined && lags.push(at[i]! - t))
        }
      lags.sort((a, b) => a - b)
      const r1 = (x: number) => Math.round(x * 10) / 10
      return {
        messages,
        items,
        complete,
        lagMs: { p50: r1(percentile(lags, 0.5)), p99: r1(percentile(lags, 0.99)), max: r1(lags.at(-1) ?? 0) },
      }
    },
    close: () => servers.forEach((s) => s.close()),
  }
}

type Request = { start: { count: number; base: Record<string, number> } } | { counts: true } | { figures: Record<string, number[]> }

/** The receivers in their own process, so their reading shares no event loop with the load generator. */
export async function forkReceivers(count: number, base: Record<string, number>) {
  const child = fork(fileURLToPath(import.meta.url), [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' })
  const ask = <T>(request: Request) =>
    new Promise<T>((resolve) => {
      child.once('message', (m) => resolve(m as T))
      child.send(request)
    })
  const urls = await ask<string[]>({ start: { count, base } })
  return {
    urls,
    counts: () => ask<{ messages: number; items: number }>({ counts: true }),
    figures: (sent: Record<string, number[]>) => ask<ReceiverFigures>({ figures: sent }),
    close: () => child.kill(),
  }
}

if (process.send && process.argv[1] === fileURLToPath(import.meta.url)) {
  let receivers: Awaited<ReturnType<typeof startReceivers>> | undefined
  process.on('message', async (m: Request) => {
    if ('start' in m) {
      receivers = await startReceivers(m.start.count, m.start.base)
      process.send!(receivers.urls)
    } else if ('counts' in m) process.send!(receivers!.counts())
    else process.send!(receivers!.figures(m.figures))
  })
  process.on('disconnect', () => {
    receivers?.close()
    process.exit(0)
  })
}
