import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { LiveClient } from '@wh/shared/live'
import { seededRandom } from '../../devices/src/sim/seeded-random.ts'
import { SITE } from '../helpers/fixtures.ts'
import { countFault } from './harness/fault-log.ts'
import { testSeed } from './harness/fault-test.ts'
import { byProfile } from './harness/profile.ts'
import { useSharedStack } from './harness/shared-stack.ts'
import { checkAll } from './invariants/check-all.ts'
import { openScreen } from './invariants/screens.ts'
import { startWorkload } from './workload/workload-run.ts'

// Item 28. A small send buffer per socket (64 KB) so the socket that never reads is dropped soon.
const stack = useSharedStack({ label: 'f28sockets', products: 8, locations: 3, devices: 4, hubEnv: { LIVE_MAX_BUFFERED_BYTES: 64 * 1024 } })

describe('item 28: 100 sockets churning and one that never reads', () => {
  it('drops the one that never reads; the rest converge (I5), the workload is unaffected', async () => {
    const s = stack.current
    const seed = testSeed('socket-churn')
    const rnd = seededRandom(seed)
    const hubs = [await s.startHub(), await s.startHub()]
    const viewer = (s.fixture as { keys?: Record<string, string> }).keys?.viewer
    const steady: LiveClient[] = await Promise.all(hubs.map((h) => openScreen(h.url!, viewer as string)))
    const run = await startWorkload(s, {
      seed,
      shape: { devices: 4, productsPerDevice: 2, locations: 3, eventsPerDevice: byProfile({ ci: 60, full: 150 }) },
      ratePerSecond: 80,
    })

    // The socket that subscribes again and again (a snapshot each time) and never reads a byte.
    const url = `${hubs[0]!.url!.replace(/^http/, 'ws')}/live?site=${SITE}`
    const deaf = new WebSocket(url, viewer ? ['wh.live', `bearer.${viewer}`] : [])
    deaf.on('error', () => undefined)
    await new Promise((r) => deaf.once('open', r))
    ;(deaf as unknown as { _socket: { pause(): void } })._socket.pause()
    for (let i = 0; i < 2000 && deaf.readyState === WebSocket.OPEN; i++) deaf.send(JSON.stringify({ type: 'subscribe' }))
    countFault(28, 'socket never reads')

    // 100 sockets opening, going live, and closing again while the scans go on.
    let churned = 0
    const churn = async (i: number) => {
      while (run.answered < run.scanned || run.scanned === 0 || churned < 100) {
        const screen = await openScreen(hubs[i % 2]!.url!, viewer as string)
        await sleep(rnd.int(50, 500))
        screen.stop()
        churned++
        if (churned >= 300) return
      }
    }
    await Promise.all(Array.from({ length: 100 }, (_, i) => churn(i)))
    countFault(28, `${churned} screen connections churned`)
    expect(await run.settle(30_000), 'I4').toEqual([])
    const dropped = hubs[0]!.output().includes('floor screen dropped')
    console.log(`item 28: ${churned} churned connections; the deaf socket dropped: ${dropped}; ${run.describe()}`)
    expect(dropped).toBe(true)
    // Fresh screens and the two steady ones all show the books.
    const fresh = await Promise.all(hubs.map((h) => openScreen(h.url!, viewer as string)))
    expect(await checkAll(s, { item: 28, run, screens: [...steady, ...fresh] })).toEqual([])
    for (const screen of [...steady, ...fresh]) screen.stop()
    deaf.terminate()
    await run.stop()
  })
})
