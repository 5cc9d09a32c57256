import { Registry } from 'prom-client'
import { describe, expect, it } from 'vitest'
import { registerStateGauges } from '../../hub/src/metrics/state-gauges.ts'
import { parsePrometheusText } from '../helpers/prometheus-text.ts'

describe('the oldest waiting event gauge', () => {
  it("is each partition's oldest admitted event's age at the scrape, 0 where nothing waits", async () => {
    const registry = new Registry()
    const now = Date.now()
    registerStateGauges(registry, {
      queues: [],
      inboxLengths: async () => [3, 0, 1],
      oldestWaiting: async () => [now - 90_000, null, now + 5_000],
      heldPending: async () => 0,
      screens: () => 0,
      onError: (err) => {
        throw err
      },
    })
    const ages = parsePrometheusText(await registry.metrics()).get('wh_partition_oldest_event_age_seconds')!
    expect(ages.type).toBe('gauge')
    const byPartition = Object.fromEntries(ages.samples.map((s) => [s.labels.partition, s.value]))
    expect(byPartition['0']).toBeGreaterThanOrEqual(90)
    expect(byPartition['0']).toBeLessThan(100)
    // An event admitted by a hub whose clock runs ahead is not given a negative age.
    expect([byPartition['1'], byPartition['2']]).toEqual([0, 0])
  })
})
