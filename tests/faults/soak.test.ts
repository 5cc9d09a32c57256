import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { countFault } from './harness/fault-log.ts'
import { startFaultStack, type FaultStack, type StartedHub } from './harness/fault-stack.ts'
import { testSeed } from './harness/fault-test.ts'
import { BASE_SEED, byProfile } from './harness/profile.ts'
import { checkAll } from './invariants/check-all.ts'
import { startWorkload } from './workload/workload-run.ts'

// Item 29: the faults of items 11-23, one after another in an order the seed picks, under a
// steady workload, for FAULT_SOAK_SECONDS (`npm run test:faults -- --soak 10m`); then every
// invariant. A few short seeds by default, as many and as long as asked on demand.
const SECONDS = Number(process.env.FAULT_SOAK_SECONDS ?? byProfile({ ci: 15, full: 60 }))
const SEEDS = byProfile({ ci: 1, full: 2 })
const RATE = 40

type Soak = { stack: FaultStack; hubs: StartedHub[]; links: Awaited<ReturnType<FaultStack['proxy']>>[] }

/** Each fault injects and heals itself; hub 0 reaches the broker and the database through proxies. */
const FAULTS: Record<string, (s: Soak) => Promise<void>> = {
  'worker SIGKILL after commit': async ({ stack }) => {
    const worker = await stack.startHub({ HUB_ROLES: 'worker', HUB_FAULT_POINT: 'after-commit' }, 'worker')
    await Promise.race([worker.exited, sleep(8000)])
    await worker.stop('SIGKILL')
  },
  'redis graceful restart': ({ stack }) => stack.services.redis.restart('SIGTERM'),
  'redis SIGKILL': async ({ stack }) => {
    await stack.services.redis.kill()
    await sleep(1000)
    await stack.services.redis.start()
  },
  'mosquitto graceful restart': ({ stack }) => stack.services.broker.restart('SIGTERM'),
  'mosquitto SIGKILL': async ({ stack }) => {
    await stack.services.broker.kill()
    await sleep(1000)
    await stack.services.broker.start()
  },
  'mariadbd SIGKILL': async ({ stack }) => {
    await stack.services.mariadb.kill()
    await sleep(1000)
    await stack.services.mariadb.start()
  },
  'hub SIGKILL and restart': async ({ stack, hubs }) => {
    await hubs[1]!.stop('SIGKILL')
    hubs[1] = await stack.startHub()
  },
  'hub SIGTERM and restart': async ({ stack, hubs }) => {
    await hubs[1]!.stop('SIGTERM')
    hubs[1] = await stack.startHub()
  },
  'hub-broker link cut': async ({ links }) => {
    await links[0]!.proxy.cut()
    await sleep(2000)
    await links[0]!.proxy.restore()
  },
  'hub-broker link 500 ms latency': async ({ links }) => {
    links[0]!.proxy.delay(500)
    await sleep(3000)
    links[0]!.proxy.heal()
  },
  'hub-database link blackholed': async ({ links }) => {
    links[1]!.proxy.blackhole()
    await sleep(3000)
    links[1]!.proxy.heal()
  },
}

describe('item 29: seeded soak of faults 11-23', () => {
  for (let k = 0; k < SEEDS; k++) {
    it(
      `seed ${k + 1} of ${SEEDS}, ${SECONDS} s: no violation`,
      async () => {
        const seed = testSeed(`soak-${k}`)
        let rnd = seed
        const next = (n: number) => (rnd = (Math.imul(rnd, 48271) >>> 0) % 2147483647) % n
        const stack = await startFaultStack({ label: `f29soak${k}` })
        try {
          const links = [await stack.proxy('mqtt'), await stack.proxy('mysql')]
          const hubs = [await stack.startHub({ MQTT_URL: links[0]!.url, MYSQL_URL: links[1]!.url }), await stack.startHub()]
          const soak: Soak = { stack, hubs, links }
          const eventsPerDevice = Math.ceil((RATE * SECONDS) / 4)
          const run = await startWorkload(stack, {
            seed,
            shape: { devices: 4, productsPerDevice: 2, locations: 3, eventsPerDevice },
            ratePerSecond: RATE,
          })
          const names = Object.keys(FAULTS)
          const done: string[] = []
          const until = Date.now() + SECONDS * 1000
          while (Date.now() < until) {
            const name = names[next(names.length)]!
            await FAULTS[name]!(soak)
            countFault(29, name)
            done.push(name)
            await sleep(2000 + next(2000))
          }
          await run.stop() // the scripts are longer than the soak on purpose; what was scanned must settle
          console.log(`item 29 soak (base seed ${BASE_SEED}): ${done.length} faults [${done.join(', ')}]; ${run.describe()}`)
          expect(await run.settle(60_000), 'I4').toEqual([])
          expect(await checkAll(stack, { item: 29, run })).toEqual([])
        } finally {
          await stack.close()
        }
      },
      (SECONDS + 240) * 1000,
    )
  }
})
