import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ConsoleChange } from '../../hub/src/live/console-changes.ts'
import { createStockAnnouncer } from '../../hub/src/live/stock-announcer.ts'
import type { SiteLevel } from '../../hub/src/stock/stock-publisher.ts'

const level = (site: string) => ({ site }) as SiteLevel

describe('the stock announcer', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('tells a site at once, then at most once a period, never losing the last change', () => {
    const told: ConsoleChange[] = []
    const announcer = createStockAnnouncer((c) => told.push(c), 1000)
    announcer.changed([level('a'), level('a'), level('b')])
    expect(told).toEqual([
      { topic: 'stock', site: 'a' },
      { topic: 'stock', site: 'b' },
    ])
    announcer.changed([level('a')])
    announcer.changed([level('a')])
    expect(told).toHaveLength(2)
    vi.advanceTimersByTime(1000)
    // The changes during the quiet period are told once at its end; b had none.
    expect(told.slice(2)).toEqual([{ topic: 'stock', site: 'a' }])
    vi.advanceTimersByTime(1000)
    expect(told).toHaveLength(3)
    announcer.changed([level('b')])
    expect(told.at(-1)).toEqual({ topic: 'stock', site: 'b' })
    announcer.close()
  })
})
