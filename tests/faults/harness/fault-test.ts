import { onTestFailed } from 'vitest'
import { BASE_SEED, PROFILE, seedFor } from './profile.ts'

/**
 * The seed of the running test, printed if it fails with the command that replays it. Call at
 * the start of a test.
 */
export function testSeed(name: string): number {
  const seed = seedFor(name)
  onTestFailed(() => {
    console.error(
      `\nfault test "${name}" failed with seed ${seed}; replay: FAULT_SEED=${BASE_SEED} FAULT_PROFILE=${PROFILE} npm run test:faults\n`,
    )
  })
  return seed
}

/** Waits until `check` holds (polling), or returns false after `timeoutMs`. */
export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 50): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) return false
    await new Promise((r) => setTimeout(r, everyMs))
  }
  return true
}
