import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import WebSocket from 'ws'
import { liveProtocols } from '@wh/shared/live'
import { percentile } from '../../devices/src/sim/fleet-stats.ts'

/** Screens connecting at once; a snapshot of 1,000 products is a few hundred KB each. */
const CONNECT_WAVE = 50
const AT = /"at":(\d+)/

export interface SwarmFigures {
  screens: number
  /** Screens the hub dropped or that lost their link during the measurement. */
  dropped: number
  messagesPerSecond: number
  /** Hub publish (right after the commit) to a screen's receipt. */
  latencyMs: { p50: number; p99: number }
}

/**
 * Many floor screens in one process, cheap enough to be many: each subscribes like the page does,
 * but reads only the head of each message (its type and publish time), not the whole JSON.
 */
async function runSwarm(url: string, count: number, apiKey: string) {
  const sockets: WebSocket[] = []
  let measuring = false
  let messages = 0
  let dropped = 0
  const latencies: number[] = []
  const open = () =>
    new Promise<void>((resolve, reject) => {
      const socket = new WebSocket(url, liveProtocols(apiKey))
      socket.binaryType = 'nodebuffer'
      socket.once('error', reject)
      socket.on('message', (data: Buffer) => {
        const head = data.subarray(0, 120).toString('latin1')
        if (head.startsWith('{"type":"subscribed"')) return resolve()
        if (!measuring || !head.startsWith('{"type":"inventory_')) return
        messages++
        const at = AT.exec(head)
        if (at) latencies.push(Date.now() - Number(at[1]))
      })
      socket.on('close', () => measuring && dropped++)
      socket.once('open', () => socket.send(JSON.stringify({ type: 'subscribe' })))
      sockets.push(socket)
    })
  for (let i = 0; i < count; i += CONNECT_WAVE) await Promise.all(Array.from({ length: Math.min(CONNECT_WAVE, count - i) }, open))
  return {
    async measure(forMs: number): Promise<SwarmFigures> {
      messages = 0
      dropped = 0
      latencies.length = 0
      measuring = true
      await new Promise((r) => setTimeout(r, forMs))
      measuring = false
      latencies.sort((a, b) => a - b)
      return {
        screens: sockets.length,
        dropped,
        messagesPerSecond: Math.round(messages / (forMs / 1000)),
        latencyMs: { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) },
      }
    },
    close() {
      for (const s of sockets) s.terminate()
    },
  }
}

/** The swarm in its own process, so its reading does not steal the load generator's event loop. */
export async function forkScreenSwarm(url: string, count: number, apiKey: string) {
  const child = fork(fileURLToPath(import.meta.url), [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' })
  const reply = () => new Promise<unknown>((resolve) => child.once('message', resolve))
  child.send({ start: { url, count, apiKey } })
  await reply()
  return {
    async measure(forMs: number): Promise<SwarmFigures> {
      child.send({ measure: forMs })
      return (await reply()) as SwarmFigures
    },
    close() {
      child.kill()
    },
  }
}

if (process.send && process.argv[1] === fileURLToPath(import.meta.url)) {
  let swarm: Awaited<ReturnType<typeof runSwarm>> | undefined
  process.on('message', async (m: { start?: { url: string; count: number; apiKey: string }; measure?: number }) => {
    if (m.start) {
      swarm = await runSwarm(m.start.url, m.start.count, m.start.apiKey)
      process.send!('ready')
    } else if (m.measure) process.send!(await swarm!.measure(m.measure))
  })
  process.on('disconnect', () => {
    swarm?.close()
    process.exit(0)
  })
}
