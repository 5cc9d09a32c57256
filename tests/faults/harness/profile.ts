import { randomInt } from 'node:crypto'

/**
 * `ci` (the default `npm test`): few iterations and seeds, so CI stays in its budget. `full`
 * (`npm run test:faults`): the counts docs/reliability.md asks for.
 */
export const PROFILE: 'ci' | 'full' = process.env.FAULT_PROFILE === 'ci' ? 'ci' : 'full'

/** The value for this profile. */
export const byProfile = <T>(values: { ci: T; full: T }): T => values[PROFILE]

/**
 * The run's base seed: FAULT_SEED replays a run; otherwise a fresh one, printed by any failing
 * test so it can be replayed.
 */
export const BASE_SEED = process.env.FAULT_SEED ? Number(process.env.FAULT_SEED) : randomInt(1, 2 ** 31 - 1)

/** A test's own seed, derived from the base so two tests of a run differ yet replay together. */
export function seedFor(name: string): number {
  let h = BASE_SEED
  for (const c of name) h = (Math.imul(h ^ c.charCodeAt(0), 0x5bd1e995) >>> 0) % (2 ** 31 - 1)
  return h || 1
}
