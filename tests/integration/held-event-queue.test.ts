import { describe, expect, it } from 'vitest'
import type { Ack, HeldDecisionResults, HeldEvent, HeldEventPage, ScanEvent } from '@wh/shared'
import { bearer, SITE } from '../helpers/fixtures.ts'
import { addPerson, PersonClient } from '../helpers/people.ts'
import { useScenario } from '../helpers/scenario.ts'

const s = useScenario('held-queue', { products: 4, locations: 2, devices: 1 })
const hub = () => s.hubs[0]!

const api = (method: string, url: string, payload?: object) =>
  hub().inject({ method, url, headers: bearer(s.fixture.keys.admin), ...(payload ? { payload } : {}) })
const page = async (query: string) => (await api('GET', `/api/held-events?${query}`)).json() as HeldEventPage
const ids = (p: HeldEventPage) => p.items.map((h) => h.id)

const scan = (...events: ScanEvent[]): Promise<Ack[]> => s.devices[0]!.send(events)
/** A pick of more than the location holds, for each product: each one held. */
async function heldPicks(skus: string[]): Promise<HeldEvent[]> {
  const device = s.devices[0]!
  const picks = skus.map((sku) => device.event({ type: 'pick', barcode: sku, location: s.fixture.locations[0]!, qty: 3 }))
  expect((await scan(...picks)).map((a) => a.status)).toEqual(picks.map(() => 'held'))
  const pending = await page('status=pending&limit=500')
  return picks.map((p) => pending.items.find((h) => h.eventId === p.eventId)!)
}

describe('the held-event queue as the console works it', () => {
  it('lists oldest first when asked, pages either way, and keeps newest first by default', async () => {
    const held = await heldPicks(s.fixture.skus.slice(0, 3))
    // Held in the order the hub held them (each product's partition on its own), ids rising.
    const [a, b, c] = held.map((h) => h.id).sort((x, y) => x - y)
    expect(ids(await page('order=oldest'))).toEqual([a, b, c])
    expect(ids(await page(''))).toEqual([c, b, a])
    const first = await page('order=oldest&limit=2')
    expect([ids(first), first.next]).toEqual([[a, b], b])
    expect(ids(await page(`order=oldest&after=${first.next}`))).toEqual([c])
    const newest = await page('limit=2')
    expect(ids(await page(`before=${newest.next}`))).toEqual([a])
    expect(held[0]!.stockNow).toEqual({ onHand: 0, available: 0 })
  })

  it('decides several at once, each on its own, and tells each device', async () => {
    const device = s.devices[0]!
    const [a, b, c] = (await page('order=oldest')).items
    // Stock arrives for the first pick only: it can be approved as it is, the second cannot.
    await scan(device.event({ type: 'receive', barcode: a!.sku, location: a!.location, qty: 10 }))
    expect((await api('GET', `/api/held-events/${a!.id}`)).json()).toMatchObject({ stockNow: { onHand: 10, available: 10 } })

    const answer = await api('POST', '/api/held-events/decisions', {
      decisions: [
        { id: a!.id, action: 'approve', reason: 'stock arrived' },
        { id: b!.id, action: 'approve', reason: 'try it' },
        { id: c!.id, action: 'reject', reason: 'wrong product scanned' },
      ],
    })
    expect(answer.statusCode).toBe(200)
    const { results } = answer.json() as HeldDecisionResults
    expect(results).toMatchObject([
      { id: a!.id, outcome: 'decided', decision: { held: { status: 'approved', decidedBy: 'test-admin' }, onHand: 7, available: 7 } },
      {
        id: b!.id,
        outcome: 'refused',
        problem: { status: 409, code: 'HELD_STILL_UNAPPLIABLE', detail: expect.stringContaining('pick 3') },
      },
      { id: c!.id, outcome: 'decided', decision: { held: { status: 'rejected', decisionReason: 'wrong product scanned' } } },
    ])
    await device.waitFor(() => device.acksFor(a!.eventId).some((x) => x.status === 'applied'))
    await device.waitFor(() => device.acksFor(c!.eventId).some((x) => x.status === 'rejected' && x.code === 'HELD_REJECTED'))

    expect(ids(await page('status=pending'))).toEqual([b!.id])
    expect(ids(await page('status=decided&order=oldest'))).toEqual([a!.id, c!.id])
    expect(ids(await page('status=approved'))).toEqual([a!.id])

    // Deciding one already decided is refused for that one alone, in the hub's words.
    const again = (await api('POST', '/api/held-events/decisions', { decisions: [{ id: a!.id, action: 'reject', reason: 'late' }] })).json()
    expect(again.results).toMatchObject([{ id: a!.id, outcome: 'refused', problem: { code: 'HELD_DECIDED', detail: expect.any(String) } }])
    expect(await s.inspect.inconsistencies()).toEqual([])
  })

  it('refuses a held event listed twice, or a bad decision, before deciding any', async () => {
    const [b] = (await page('status=pending')).items
    const twice = await api('POST', '/api/held-events/decisions', {
      decisions: [
        { id: b!.id, action: 'reject', reason: 'one' },
        { id: b!.id, action: 'reject', reason: 'two' },
      ],
    })
    expect(twice.statusCode).toBe(400)
    expect(twice.json()).toMatchObject({ code: 'HELD_LISTED_TWICE' })
    const mixed = await api('POST', '/api/held-events/decisions', {
      decisions: [
        { id: b!.id, action: 'reject', reason: 'fine' },
        { id: b!.id + 1, action: 'reject', reason: 'x', qty: 2 },
      ],
    })
    expect(mixed.statusCode).toBe(400)
    expect(mixed.json()).toMatchObject({ code: 'VALIDATION_FAILED' })
    expect((await api('POST', '/api/held-events/decisions', { decisions: [] })).statusCode).toBe(400)
    expect(ids(await page('status=pending'))).toEqual([b!.id])
  })

  it("audits a person's decisions under their name, and keeps people to their sites and role", async () => {
    const [b] = (await page('status=pending')).items
    await addPerson(hub(), 'faraway', 'supervisor', { sites: ['elsewhere'] })
    const faraway = await PersonClient.signIn(hub(), 'faraway')
    expect((await faraway.send('GET', `/api/held-events?site=${SITE}`)).body).toMatchObject({ code: 'FORBIDDEN_SITE' })
    expect((await faraway.send<HeldEventPage>('GET', '/api/held-events')).body.items).toEqual([])
    expect((await faraway.send('GET', `/api/held-events/${b!.id}`)).status).toBe(403)
    const refused = await faraway.send<HeldDecisionResults>('POST', '/api/held-events/decisions', {
      decisions: [{ id: b!.id, action: 'reject', reason: 'not mine' }],
    })
    expect(refused.body.results).toMatchObject([{ outcome: 'refused', problem: { code: 'FORBIDDEN_SITE' } }])
    expect((await faraway.send('POST', `/api/held-events/${b!.id}/reject`, { reason: 'not mine' })).status).toBe(403)

    await addPerson(hub(), 'vic', 'viewer')
    const viewer = await PersonClient.signIn(hub(), 'vic')
    expect((await viewer.send<HeldEventPage>('GET', `/api/held-events?site=${SITE}`)).body.items.map((h) => h.id)).toEqual([b!.id])
    const notAllowed = await viewer.send('POST', '/api/held-events/decisions', {
      decisions: [{ id: b!.id, action: 'reject', reason: 'x' }],
    })
    expect(notAllowed.body).toMatchObject({ code: 'FORBIDDEN_ROLE' })

    await addPerson(hub(), 'sam', 'supervisor')
    const sam = await PersonClient.signIn(hub(), 'sam')
    const decided = await sam.send<HeldDecisionResults>('POST', '/api/held-events/decisions', {
      decisions: [{ id: b!.id, action: 'reject', reason: 'nothing there' }],
    })
    expect(decided.body.results).toMatchObject([{ outcome: 'decided', decision: { held: { decidedBy: 'sam' } } }])
    const audit = await s.inspect.rows(`SELECT actor FROM audit_log WHERE entity = 'held_event' AND entity_id = ?`, [b!.eventId])
    expect(audit).toEqual([{ actor: 'sam' }])
  })
})
