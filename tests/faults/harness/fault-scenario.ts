import { expect } from 'vitest'
import type { LiveClient } from '@wh/shared/live'
import type { Env } from '../../../hub/src/config.ts'
import { checkAll } from '../invariants/check-all.ts'
import { openScreen } from '../invariants/screens.ts'
import type { WorkloadShape } from '../workload/arbitraries.ts'
import { startWorkload, type WorkloadRun } from '../workload/workload-run.ts'
import { countFault } from './fault-log.ts'
import type { FaultStack, StartedHub } from './fault-stack.ts'
import { testSeed } from './fault-test.ts'

export interface FaultContext {
  stack: FaultStack
  hubs: StartedHub[]
  run: WorkloadRun
  /** Counts a fault for the run's summary; call once per fault injected. */
  fault: (what: string) => void
}

export interface FaultScenario {
  item: number
  /** Names the test's seed (and so its replay). */
  name: string
  /** Settings per hub process to start (each with all roles unless it says); one hub by default. */
  hubs?: Partial<Env>[]
  shape?: Partial<WorkloadShape>
  ratePerSecond?: number
  /** Open a floor screen on the first hub and hold it to I5. @defaultValue true */
  screens?: boolean
  /** Scans made before `inject` is called. @defaultValue a third of the workload */
  injectAfter?: number
  /** Injects the fault(s) under load and heals them; the checks start when it returns. */
  inject: (ctx: FaultContext) => Promise<void>
  /** How long after healing every event must be answered (I4). @defaultValue 30000 */
  settleMs?: number
}

export const DEFAULT_SHAPE: WorkloadShape = { devices: 4, productsPerDevice: 2, locations: 3, eventsPerDevice: 60 }

/**
 * The common shape of a fault test: hubs and a screen up, the seeded workload running, the fault
 * injected mid-load and healed, then I8 (a new scan answered within 15 s), I4 (every scan answered
 * within `settleMs`) and the rest of the invariants against the reference model.
 */
export async function runFaultScenario(stack: FaultStack, scenario: FaultScenario) {
  const seed = testSeed(scenario.name)
  const hubs: StartedHub[] = []
  for (const settings of scenario.hubs ?? [{}]) hubs.push(await stack.startHub(settings))
  const screens: LiveClient[] = []
  if (scenario.screens !== false && hubs[0]?.url) screens.push(await openScreen(hubs[0].url, stack.fixture.keys.viewer))
  const shape = { ...DEFAULT_SHAPE, ...scenario.shape }
  const run = await startWorkload(stack, { seed, shape, ratePerSecond: scenario.ratePerSecond ?? 60 })
  try {
    await run.reach(scenario.injectAfter ?? Math.floor((shape.devices * shape.eventsPerDevice) / 3))
    await scenario.inject({ stack, hubs, run, fault: (what) => countFault(scenario.item, what) })
    const healedIn = await run.probe(15_000)
    expect(healedIn, 'I8: a scan after healing is answered within 15 s').toBeLessThan(15_000)
    expect(await run.settle(scenario.settleMs ?? 30_000), 'I4: every scan answered after healing').toEqual([])
    console.log(`item ${scenario.item} ${scenario.name}: ${run.describe()}; a new scan answered ${healedIn} ms after healing`)
    const violations = await checkAll(stack, { item: scenario.item, run, screens })
    expect(violations).toEqual([])
    return { run, hubs, healedIn }
  } finally {
    await run.stop()
    for (const screen of screens) screen.stop()
  }
}
