import { describe, expect, it } from 'vitest'
import { summarizeCpu } from '../../bench/report/cpu-figures.ts'

const byKey = (figures: ReturnType<typeof summarizeCpu>) => new Map(figures.map((f) => [f.key, f]))

describe('the bench CPU profile', () => {
  const cpu = {
    a: { 'load generator': [150, 170, 160], broker: [70, 80, 75], 'hub worker': [100, 120, 110], MariaDB: [180, 200, 190] },
    b: { 'load generator': [300], broker: [100], 'hub worker': [500], MariaDB: [400] },
  }
  const figures = byKey(summarizeCpu(cpu, 2))

  it('adds the processes of each rep and takes the median, min and max of the sums', () => {
    // Reps sum to 500, 570 and 535 microseconds per event.
    expect(figures.get('cpu.a.total')).toMatchObject({ median: 535, min: 500, max: 570 })
    expect(figures.get('cpu.a.total')!.target).toEqual({ text: '<= 200 us for 10,000 events/s on 2 cores', met: false })
    expect(figures.get('cpu.a.hub worker')).toMatchObject({ median: 110, min: 100, max: 120, unit: 'us' })
  })

  it('bounds events/s by the cores over the CPU per event, the whole pipeline and outside the hub alone', () => {
    expect(figures.get('cpu.a.bound')).toMatchObject({ median: 3738, min: 3509, max: 4000 })
    // Outside the hub: 220, 250, 235 us (load generator + broker).
    expect(figures.get('cpu.a.outside')).toMatchObject({ median: 235 })
    expect(figures.get('cpu.a.boundOutside')).toMatchObject({ median: 8511, min: 8000, max: 9091 })
  })

  it('tells how busy 1,000 events/s keeps the machine in (b), and sets no target there', () => {
    // 1,300 us per event at 1,000 events/s is 1.3 CPU seconds each second: 65% of two cores.
    expect(figures.get('cpu.b.busy')).toMatchObject({ median: 65, unit: '%' })
    expect(figures.get('cpu.b.total')!.target).toBeUndefined()
  })

  it("counts (b)'s CPU per event in process round trips when their cost was measured", () => {
    // 1,300 us per event over a round trip of 100 (80-130) us.
    const trips = byKey(summarizeCpu(cpu, 2, [80, 100, 130])).get('cpu.b.trips')
    expect(trips).toMatchObject({ median: 13, min: 10, max: 16, unit: 'round trips' })
    expect(figures.has('cpu.b.trips')).toBe(false)
  })

  it('has nothing to say without measurements', () => {
    expect(summarizeCpu({ a: {}, b: {} }, 2)).toEqual([])
  })
})
