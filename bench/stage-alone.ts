import { mkdir, writeFile } from 'node:fs/promises'
import os from 'node:os'
import { dirname } from 'node:path'
import { closeOnExit, loadOptions, machineInfo, openBenchEnvironment, verify, type BenchEnvironment } from './environment.ts'
import { runLoad } from './load/load-generator.ts'
import { seedOrderingStock } from './ordering/ordering-stage.ts'
import { ORDERING_STEPS, orderingSteps } from './ordering/ordering-steps.ts'
import { renderTable, summarizeOrdering, summarizeWebhooks, type Figure } from './report/figures.ts'
import { webhookSteps } from './webhooks/webhook-steps.ts'

interface AloneOptions {
  timing: { warmupS: number; measureS: number; reps: number }
  partitions: number
  resultsFile: string
}

/** Units of every product at every location for the ordering stages run alone: (h) reserves about 3 per order. */
const ORDERING_STOCK = 100

/** Prints a stage's table and writes its figures, with the machine and its load average, to `resultsFile`. */
async function writeStageResults(o: AloneOptions, figures: Figure[], runs: Record<string, number[]>, env: BenchEnvironment) {
  console.log(`\n${renderTable(figures)}`)
  const machine = await machineInfo(env.hubEnv)
  const json = {
    date: new Date().toISOString(),
    timing: o.timing,
    partitions: o.partitions,
    machine,
    loadAverage: os.loadavg(),
    figures,
    runs,
  }
  await mkdir(dirname(o.resultsFile), { recursive: true })
  await writeFile(o.resultsFile, `${JSON.stringify(json, null, 2)}\n`)
  console.log(`\nresults: ${o.resultsFile.slice(o.resultsFile.indexOf('bench/results/'))}`)
}

/**
 * One hub stage alone, on its own hub and databases: `ordering` ((g) and (h), after importing
 * opening stock, since no scans ran before) or `webhooks` (the fan-out, its receipts scanned here).
 */
export async function runStageAlone(stage: 'ordering' | 'webhooks', o: AloneOptions) {
  const { timing } = o
  const env = await openBenchEnvironment(stage === 'webhooks' ? timing.reps : 0)
  closeOnExit(env)
  let step = 0
  const steps = stage === 'ordering' ? ORDERING_STEPS * timing.reps + 1 : timing.reps
  const say = (what: string) => process.stdout.write(`[${++step}/${steps}] ${what} ... `)
  const runs: Record<string, number[]> = {}
  try {
    await env.startHub(o.partitions)
    if (stage === 'ordering') {
      say(`opening stock: ${ORDERING_STOCK} units of each of 1,000 products at each of 10 locations, imported`)
      await seedOrderingStock(env, ORDERING_STOCK)
      console.log('applied')
      for (let rep = 1; rep <= timing.reps; rep++) await orderingSteps(env, timing, rep, say, runs)
      await writeStageResults(o, summarizeOrdering(runs), runs, env)
      return
    }
    for (let rep = 1; rep <= timing.reps; rep++)
      await webhookSteps(env, timing, rep, say, runs, async (onScan) => {
        const devices = env.devicesOfRun(rep - 1)
        const result = await runLoad({ ...loadOptions(env, devices, timing), rate: 1000, onScan })
        await verify(env, 'webhooks', result, devices)
        return result.eventsPerSecond
      })
    await writeStageResults(o, summarizeWebhooks(runs), runs, env)
  } finally {
    await env.close()
  }
}
