import { describe, expect, it } from 'vitest'
import { eventually } from '../helpers/eventually.ts'
import { SITE } from '../helpers/fixtures.ts'
import { useScenario } from '../helpers/scenario.ts'

const s = useScenario('cache-rebuild', { products: 3, locations: 2, devices: 1 })

describe('the live cache after Redis lost it', () => {
  it('is loaded again from the database, every level, with no scan touching them again', async () => {
    const device = s.devices[0]!
    // Product i gets i + 2 units at each location.
    const events = s.fixture.skus.flatMap((sku, i) =>
      s.fixture.locations.map((location) => device.event({ type: 'receive', barcode: sku, location, qty: i + 2 })),
    )
    for (const e of events) await device.publish(e)
    await device.waitFor((acks) => acks.length >= events.length, 20_000)
    expect(await s.inspect.inconsistencies()).toEqual([])

    // Redis loses the cache: every product hash, the set of products and the marker that it was loaded.
    const keys = await s.inspect.redis.keys(`${s.env.env.REDIS_PREFIX}:inv*`)
    expect(keys.length).toBeGreaterThan(s.fixture.skus.length)
    await s.inspect.redis.del(keys)
    expect(await s.inspect.cache.read(SITE, s.fixture.skus[2]!)).toBeUndefined()

    await eventually('the cache equal to the database again', async () => (await s.inspect.compare()).length === 0, 10_000)
    expect(await s.inspect.cache.read(SITE, s.fixture.skus[2]!)).toMatchObject({ onHand: 8, available: 8 })
  })
})
