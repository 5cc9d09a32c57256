import { describe, expect, it } from 'vitest'
import { MemoryOutbox } from '../../devices/src/outbox/memory-outbox.ts'
import { eventually } from '../helpers/eventually.ts'
import { useScenario } from '../helpers/scenario.ts'
import { useScannerKit } from '../helpers/scanners.ts'

const s = useScenario('settling', { products: 1, locations: 1, devices: 1 })
const kit = useScannerKit(s)

/** An outbox whose ack records stay "on their way to disk" until the test lets them land. */
class SlowAckOutbox extends MemoryOutbox {
  private land!: () => void
  private readonly landed = new Promise<void>((resolve) => (this.land = resolve))
  override async ack(eventId: string) {
    const known = await super.ack(eventId)
    await this.landed
    return known
  }
  letAcksLand() {
    this.land()
  }
}

describe("a scanner's count of unsettled scans", () => {
  it('keeps an acknowledged scan until its outcome is out, though the outbox has let it go', async () => {
    const { fixture } = s
    const store = new SlowAckOutbox()
    const { client, outcomes } = await kit.start(fixture.devices[0]!, { store })
    await eventually('connection', () => client.connected)

    await client.scan({ type: 'receive', barcode: fixture.skus[0]!, location: fixture.locations[0]!, qty: 1 })
    await eventually('the ack to reach the outbox', () => store.size === 0)
    // A fleet that waited for an empty outbox would stop here and miss this outcome.
    expect(client.unsettled).toBe(1)
    expect(outcomes).toEqual([])

    store.letAcksLand()
    await eventually('the outcome', () => outcomes.length === 1)
    expect(outcomes[0]!.ack.status).toBe('applied')
    expect(client.unsettled).toBe(0)
  })
})
