import fc from 'fast-check'

/** One step of a device's script: a scan, or a resend of one of its earlier events as is. */
export type Op =
  | { kind: 'receive' | 'pick' | 'count'; product: number; location: number; qty: number }
  | { kind: 'adjust'; product: number; location: number; qty: number }
  | { kind: 'move'; product: number; location: number; toLocation: number; qty: number }
  | { kind: 'resend'; back: number }

export interface WorkloadShape {
  devices: number
  /** Products per device; each device owns its own, so per-product order is its device's order. */
  productsPerDevice: number
  locations: number
  eventsPerDevice: number
}

/**
 * The ops of one device over its products (indexes into the products it owns) and the shared
 * locations. Receives dominate so picks, moves and negative adjusts find stock often enough, yet
 * not always (those are held, which the model predicts too); counts set stock absolutely, which
 * is why per-device order matters.
 */
export function opArbitrary(shape: Pick<WorkloadShape, 'productsPerDevice' | 'locations'>): fc.Arbitrary<Op> {
  const product = fc.integer({ min: 0, max: shape.productsPerDevice - 1 })
  const location = fc.integer({ min: 0, max: shape.locations - 1 })
  const scan = (kind: 'receive' | 'pick' | 'count', qty: fc.Arbitrary<number>) =>
    fc.record({ kind: fc.constant(kind), product, location, qty })
  return fc.oneof(
    { weight: 5, arbitrary: scan('receive', fc.integer({ min: 1, max: 20 })) },
    { weight: 4, arbitrary: scan('pick', fc.integer({ min: 1, max: 8 })) },
    { weight: 1, arbitrary: scan('count', fc.integer({ min: 0, max: 40 })) },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('adjust' as const),
        product,
        location,
        qty: fc.integer({ min: -5, max: 5 }).filter((q) => q !== 0),
      }),
    },
    {
      weight: 2,
      arbitrary: fc
        .record({ kind: fc.constant('move' as const), product, location, toLocation: location, qty: fc.integer({ min: 1, max: 6 }) })
        .filter((m) => m.location !== m.toLocation || shape.locations === 1)
        .map((m) => (m.location === m.toLocation ? { ...m, kind: 'receive' as const } : m)),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('resend' as const), back: fc.integer({ min: 1, max: 20 }) }) },
  )
}

/** Every device's script, the same for the same seed: a failing run replays from its seed. */
export function generateWorkload(seed: number, shape: WorkloadShape): Op[][] {
  const script = fc.array(opArbitrary(shape), { minLength: shape.eventsPerDevice, maxLength: shape.eventsPerDevice })
  const [scripts] = fc.sample(fc.array(script, { minLength: shape.devices, maxLength: shape.devices }), { seed, numRuns: 1 })
  return scripts!
}
