import { mkdir, writeFile } from 'node:fs/promises'
import os from 'node:os'
import { fileURLToPath } from 'node:url'
import { setTimeout as sleep } from 'node:timers/promises'
import { mqttQos1 } from './ceilings/mqtt-qos1.ts'
import { mqttRoundTrip, mysqlTransaction, processRoundTrip } from './ceilings/latency-floors.ts'
import { mysqlOneTxPerEvent } from './ceilings/mysql-one-tx.ts'
import { forkNaivePipeline } from './ceilings/naive-pipeline.ts'
import { benchOptions } from './bench-options.ts'
import { closeOnExit, loadOptions, machineInfo, openBenchEnvironment, verify } from './environment.ts'
import { runLoad, type LoadOptions, type LoadResult } from './load/load-generator.ts'
import { renderChart } from './report/chart-svg.ts'
import { ORDERING_STEPS, orderingSteps } from './ordering/ordering-steps.ts'
import { webhookSteps } from './webhooks/webhook-steps.ts'
import { runStageAlone } from './stage-alone.ts'
import { measurePage } from './screens/page-smoothness.ts'
import { forkScreenSwarm } from './screens/screen-swarm.ts'
import { watchScreen } from './screens/screen-watch.ts'
import { summarize, summarizeReconciliation, renderTable, type Figure } from './report/figures.ts'
import { summarizeCpu, type CpuRuns } from './report/cpu-figures.ts'
import { reconcileStage } from './reconcile/reconcile-bench.ts'
import { importStage, type ImportBenchResult } from './import/import-bench.ts'
import { createTestEnv } from '../tests/helpers/test-env.ts'

const args = benchOptions()
const timing = args.quick ? { warmupS: 2, measureS: 4, reps: 1 } : { warmupS: 5, measureS: 15, reps: 3 }
/** More partitions let drains overlap (throughput); fewer make bigger batches, less CPU per event at 1,000/s (docs/operations.md, Scaling out). */
const PARTITIONS = args.partitions
/** Seconds at each offered rate while looking for the naive pipeline's ceiling. */
const NAIVE_STEP_S = Math.min(timing.measureS, 6)
const RESULTS = fileURLToPath(new URL('./results/', import.meta.url))
/** A smoke run's files (not tracked by git), so it never replaces the full run's figures and chart (bench/results/README.md). */
const KIND = args.quick ? 'quick-' : ''

let step = 0
const STEPS = (12 + ORDERING_STEPS) * timing.reps + 2
/** Seconds each latency floor is sampled. */
const FLOOR_S = Math.min(timing.measureS, 5)
/** Floor screens in the fan-out scenario. */
const SCREENS = 1000
const say = (what: string) => process.stdout.write(`[${++step}/${STEPS}] ${what} ... `)

const RECONCILE_STEP =
  'reconciliation: full runs over 1,000,000 stock levels / 10,000,000 ledger rows, incremental runs over 1,000 touched products'
// The shared services' addresses, as the tests find them (nothing is created by asking).
const reconcileUrls = createTestEnv('reconcile').urls
const reconcileSummary = (r: Awaited<ReturnType<typeof reconcileStage>>['result']) =>
  `full ${r.fullS.join(', ')} s; incremental ${r.incrementalMs.join(', ')} ms${r.seedS > 0 ? `; seeded in ${r.seedS} s` : '; data set reused'}; every injected drift found and corrected`

const IMPORT_STEP = 'import: 100,000 products with their GTINs and 1,000,000 opening stock rows, then a full reconciliation'
const importSummary = (r: ImportBenchResult) =>
  `${r.totalS} s (target 120), ${r.rowsPerS.toLocaleString('en-US')} rows/s; checking the files ${r.checkS} s; reconciliation after it ${r.reconcileS} s, ${r.discrepancies === 0 ? 'balanced' : `${r.discrepancies} discrepancies`}`
/** The import stage, its figures in `import-latest.json`; fails the bench when the books do not balance after it. */
async function runImportStage() {
  const result = await importStage(reconcileUrls, PARTITIONS)
  console.log(importSummary(result))
  if (result.discrepancies > 0) throw new Error(`import: reconciliation found ${result.discrepancies} discrepancies`)
  await mkdir(RESULTS, { recursive: true })
  await writeFile(
    `${RESULTS}${KIND}import-latest.json`,
    `${JSON.stringify({ date: new Date().toISOString(), partitions: PARTITIONS, result }, null, 2)}\n`,
  )
  return result
}

if (args.only === 'import') {
  console.log(`[1/1] ${IMPORT_STEP} ...`)
  await runImportStage()
  console.log(`\nresults: bench/results/${KIND}import-latest.json`)
  process.exit(0)
}

if (args.only === 'ordering' || args.only === 'webhooks') {
  await runStageAlone(args.only, { timing, partitions: PARTITIONS, resultsFile: `${RESULTS}${KIND}${args.only}-latest.json` })
  process.exit(0)
}

if (args.only === 'reconcile') {
  console.log(`[1/1] ${RECONCILE_STEP} ...`)
  const { result, runs } = await reconcileStage(reconcileUrls, timing.reps)
  console.log(reconcileSummary(result))
  const figures = summarizeReconciliation(runs)
  console.log(`\n${renderTable(figures)}`)
  const date = new Date().toISOString()
  await mkdir(RESULTS, { recursive: true })
  await writeFile(
    `${RESULTS}${KIND}reconcile-latest.json`,
    `${JSON.stringify({ date, mode: args.quick ? 'quick' : 'full', figures, runs }, null, 2)}\n`,
  )
  console.log(`\nresults: bench/results/${KIND}reconcile-latest.json`)
  process.exit(0)
}

const env = await openBenchEnvironment(7 * timing.reps)
closeOnExit(env)

/**
 * Acking on receipt, the naive pipeline accepts any rate and falls behind without bound, so its
 * ceiling is the highest offered rate it still completes (95%) within the measurement.
 */
async function naiveSustainedRate(rep: number): Promise<number> {
  const naive = await forkNaivePipeline({
    brokerUrl: env.broker.url,
    mysqlUrl: env.ceiling.env.env.MYSQL_URL!,
    redisUrl: env.ceiling.env.urls.redis,
    topicRoot: env.ceiling.env.env.MQTT_TOPIC_ROOT!,
    products: [...env.ceiling.products],
    locations: [...env.ceiling.locations],
  })
  let sustained = 0
  for (const rate of [500, 1000, 1500, 2000, 2500, 3000, 4000, 5000, 6000]) {
    const offered = runLoad({
      brokerUrl: env.broker.url,
      topicRoot: env.ceiling.env.env.MQTT_TOPIC_ROOT!,
      site: env.site,
      devices: env.devicesOfRun(0).map((d) => `N${rep}-${rate}-${d}`),
      skus: [...env.ceiling.products.keys()],
      locations: [...env.ceiling.locations.keys()],
      rate,
      warmupS: 1,
      measureS: NAIVE_STEP_S,
    })
    const completed = await naive.measure(1000, NAIVE_STEP_S * 1000)
    await offered
    if (completed < rate * 0.95) break
    sustained = completed
  }
  await naive.close()
  return sustained
}
try {
  const runs: Record<string, number[]> = {
    mysql: [],
    mqtt: [],
    floorMqttP50: [],
    floorMqttP99: [],
    floorDbP50: [],
    floorDbP99: [],
    hopPaced: [],
    hopBackToBack: [],
    naive: [],
    hub: [],
    latencyP50: [],
    latencyP99: [],
    hot: [],
    screenP50: [],
    screenP99: [],
    fanoutMessages: [],
    fanoutP99: [],
    fanoutRss: [],
    pageFps: [],
    pageFrameP99: [],
  }
  /** CPU microseconds per event by process, per rep, in the throughput (a) and latency (b) scenarios. */
  const cpu: CpuRuns = { a: {}, b: {} }
  const noteCpu = (scenario: 'a' | 'b', r: LoadResult) => {
    for (const [name, us] of Object.entries(r.cpuUsPerEvent ?? {})) (cpu[scenario][name] ??= []).push(us)
  }
  const cpuLine = (r: LoadResult) =>
    `CPU per event ${Object.values(r.cpuUsPerEvent ?? {}).reduce((x, y) => x + y, 0)} us (${Object.entries(r.cpuUsPerEvent ?? {})
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')})`
  let run = 0
  const load = (extra: Partial<LoadOptions>) => {
    const devices = env.devicesOfRun(run++)
    const options: LoadOptions = { ...loadOptions(env, devices, timing), ...extra }
    return { devices, result: runLoad(options) }
  }

  for (let rep = 1; rep <= timing.reps; rep++) {
    say(`ceiling: MySQL, one transaction per event, 32 connections (rep ${rep})`)
    const pairs = [...env.ceiling.products.values()].map((p, i) => [p, [...env.ceiling.locations.values()][i % 10]!] as [number, number])
    runs.mysql!.push(await mysqlOneTxPerEvent(env.ceiling.env.env.MYSQL_URL!, pairs, timing.measureS))
    console.log(`${runs.mysql!.at(-1)} tx/s`)

    say(`ceiling: Mosquitto QoS 1 publish -> subscribe (rep ${rep})`)
    runs.mqtt!.push(await mqttQos1(env.broker.url, `${env.ceiling.env.env.MQTT_TOPIC_ROOT}/ceiling`, timing.measureS))
    console.log(`${runs.mqtt!.at(-1)} msg/s`)

    say(`floor: latency of the parts alone, 100 samples/s: MQTT there and back, a batch-shaped durable transaction (rep ${rep})`)
    const trip = await mqttRoundTrip(env.broker.url, env.ceiling.env.env.MQTT_TOPIC_ROOT!, FLOOR_S)
    const tx = await mysqlTransaction(env.ceiling.env.env.MYSQL_URL!, pairs, FLOOR_S)
    runs.floorMqttP50!.push(trip.p50)
    runs.floorMqttP99!.push(trip.p99)
    runs.floorDbP50!.push(tx.p50)
    runs.floorDbP99!.push(tx.p99)
    console.log(`MQTT p50 ${trip.p50} ms, p99 ${trip.p99} ms; transaction p50 ${tx.p50} ms, p99 ${tx.p99} ms`)

    say(`floor: CPU of one message to another process and back, 1 ms apart and back to back (rep ${rep})`)
    const hop = await processRoundTrip(FLOOR_S)
    runs.hopPaced!.push(hop.pacedUs)
    runs.hopBackToBack!.push(hop.backToBackUs)
    console.log(`${hop.pacedUs} us 1 ms apart, ${hop.backToBackUs} us back to back`)

    say(`ceiling: naive pipeline, ack on receipt, one transaction per event (rep ${rep})`)
    runs.naive!.push(await naiveSustainedRate(rep))
    console.log(`${runs.naive!.at(-1)} events/s sustained`)

    if (rep === 1) await env.startHub(PARTITIONS)
    say(`hub (a): max sustained durable events/s, closed loop, 50 devices, 1,000 products (rep ${rep})`)
    const a = load({ window: 20, cpu: env.cpuMeter() })
    const ra = await a.result
    await verify(env, 'scenario a', ra, a.devices)
    runs.hub!.push(ra.eventsPerSecond)
    noteCpu('a', ra)
    console.log(`${ra.eventsPerSecond} events/s, ack p99 ${ra.latencyMs.p99} ms, ${cpuLine(ra)}; books balance`)

    say(`hub (b): scan -> ack latency at 1,000 events/s offered (rep ${rep})`)
    const b = load({ rate: 1000, cpu: env.cpuMeter() })
    const rb = await b.result
    await verify(env, 'scenario b', rb, b.devices)
    runs.latencyP50!.push(rb.latencyMs.p50)
    runs.latencyP99!.push(rb.latencyMs.p99)
    noteCpu('b', rb)
    console.log(`p50 ${rb.latencyMs.p50} ms, p99 ${rb.latencyMs.p99} ms, ${cpuLine(rb)}; books balance`)

    say(`hub (c): hot product, 20% of events on one SKU (rep ${rep})`)
    const c = load({ window: 20, hotShare: 0.2 })
    const rc = await c.result
    await verify(env, 'scenario c', rc, c.devices)
    runs.hot!.push(rc.eventsPerSecond)
    console.log(`${rc.eventsPerSecond} events/s; books balance`)

    say(`hub (d): scan -> floor screen latency at 1,000 events/s offered (rep ${rep})`)
    const screen = await watchScreen(env.liveUrl(), env.fixture.keys.viewer)
    const d = load({ rate: 1000, onScan: screen.scanned })
    const rd = await d.result
    await verify(env, 'scenario d', rd, d.devices)
    const seen = screen.result()
    screen.close()
    runs.screenP50!.push(seen.p50)
    runs.screenP99!.push(seen.p99)
    console.log(`p50 ${seen.p50} ms, p99 ${seen.p99} ms over ${seen.samples} scans; books balance`)

    say(`hub (e): ${SCREENS.toLocaleString('en-US')} floor screens on one API instance at 1,000 events/s (rep ${rep})`)
    const screenHub = await env.startScreenHub(PARTITIONS)
    const swarm = await forkScreenSwarm(screenHub.liveUrl, SCREENS, env.fixture.keys.viewer)
    let rss = screenHub.rssMb()
    const sampler = setInterval(() => (rss = Math.max(rss, screenHub.rssMb())), 250)
    const e = load({ rate: 1000 })
    await sleep(timing.warmupS * 1000)
    const fanout = await swarm.measure(timing.measureS * 1000)
    const re = await e.result
    clearInterval(sampler)
    swarm.close()
    await screenHub.stop()
    await verify(env, 'scenario e', re, e.devices)
    if (fanout.dropped > 0) throw new Error(`scenario e: ${fanout.dropped} screens dropped`)
    runs.fanoutMessages!.push(fanout.messagesPerSecond)
    runs.fanoutP99!.push(fanout.latencyMs.p99)
    runs.fanoutRss!.push(rss)
    console.log(
      `${fanout.messagesPerSecond} messages/s delivered, commit -> screen p99 ${fanout.latencyMs.p99} ms, hub RSS ${rss} MB; books balance`,
    )

    say(`hub (f): the floor-screen page in Chromium, 1,000 products, 500 updates/s (rep ${rep})`)
    // The load starts once the page is live and counting frames (Chromium can take seconds to start).
    const page = await measurePage(`${env.httpUrl()}/`, env.fixture.keys.viewer, async () => {
      const f = load({ rate: 500 })
      return { devices: f.devices, result: await f.result }
    })
    await verify(env, 'scenario f', page.during.result, page.during.devices)
    runs.pageFps!.push(page.framesPerSecond)
    runs.pageFrameP99!.push(page.frameP99Ms)
    console.log(`${page.framesPerSecond} frames/s, frame p99 ${page.frameP99Ms} ms, long tasks ${page.longTaskMs} ms; books balance`)

    await orderingSteps(env, timing, rep, say, runs)

    await webhookSteps(env, timing, rep, say, runs, async (onScan) => {
      const w = load({ rate: 1000, onScan })
      const rw = await w.result
      await verify(env, 'webhooks', rw, w.devices)
      return rw.eventsPerSecond
    })
  }

  say(RECONCILE_STEP)
  const reconciliation = await reconcileStage(reconcileUrls, timing.reps)
  Object.assign(runs, reconciliation.runs)
  console.log(reconcileSummary(reconciliation.result))
  say(IMPORT_STEP)
  const imported = await runImportStage()

  const figures: Figure[] = [...summarize(runs), ...summarizeCpu(cpu, os.cpus().length, runs.hopPaced!)]
  console.log(`\n${renderTable(figures)}`)
  const result = {
    date: new Date().toISOString(),
    mode: args.quick ? 'quick' : 'full',
    timing,
    partitions: PARTITIONS,
    machine: await machineInfo(env.hubEnv),
    figures,
    runs,
    cpu,
    import: imported,
  }
  await mkdir(RESULTS, { recursive: true })
  const stamp = `${KIND}${result.date.replaceAll(':', '-').slice(0, 19)}`
  const json = `${JSON.stringify(result, null, 2)}\n`
  await writeFile(`${RESULTS}${stamp}.json`, json)
  await writeFile(`${RESULTS}${KIND}latest.json`, json)
  await writeFile(
    `${RESULTS}${KIND}latest.svg`,
    renderChart(figures, result.machine.cpu ?? 'unknown CPU', result.machine.cores, result.date),
  )
  console.log(`\nresults: bench/results/${stamp}.json (and ${KIND}latest.json, ${KIND}latest.svg)`)
} finally {
  await env.close()
}
process.exit(0)
