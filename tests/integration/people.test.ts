import { describe, expect, it } from 'vitest'
import { addPerson, PersonClient } from '../helpers/people.ts'
import { useScenario } from '../helpers/scenario.ts'

const s = useScenario('people', { products: 2, locations: 1, devices: 0 })
const hub = () => s.hubs[0]!

describe('people sign in to the console', () => {
  it('signs in, is known by the session, and changes are audited under their name', async () => {
    await addPerson(hub(), 'ana', 'admin')
    const ana = await PersonClient.signIn(hub(), 'ana')
    expect((await ana.send('GET', '/api/session')).body).toMatchObject({ person: { username: 'ana', role: 'admin' } })
    const created = await ana.send('POST', '/api/sites', { code: 'people-site', name: 'People' })
    expect(created.status).toBe(201)
    const audit = await s.inspect.rows<{ actor: string }>("SELECT actor FROM audit_log WHERE entity = 'site' AND entity_id = 'people-site'")
    expect(audit).toEqual([{ actor: 'ana' }])
  })
})
