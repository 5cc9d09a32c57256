import { Writable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp, type HubApp } from '../../hub/src/app.ts'
import { bearer, SITE } from '../helpers/fixtures.ts'
import { addPerson, PASSWORD, PersonClient } from '../helpers/people.ts'
import { everyChange } from '../helpers/route-tree.ts'
import { useScenario } from '../helpers/scenario.ts'
import { httpUrl } from '../helpers/screen.ts'

// Hub 0 keeps every log line it writes, so the test can look for secrets in them.
const s = useScenario('people', { products: 2, locations: 1, devices: 0, hubs: [] })
const logLines: string[] = []
let hub: HubApp

beforeAll(async () => {
  const capture = new Writable({ write: (chunk, _enc, done) => void (logLines.push(String(chunk)), done()) })
  hub = await buildApp(s.env.config({ SIGNIN_MAX_FAILURES: 3, SIGNIN_LOCK_SECONDS: 60 }), { logger: { level: 'debug', stream: capture } })
})
afterAll(async () => hub?.close())

const audit = (entity: string, entityId: string) =>
  s.inspect.rows<{ action: string; actor: string }>('SELECT action, actor FROM audit_log WHERE entity = ? AND entity_id = ? ORDER BY id', [
    entity,
    entityId,
  ])

describe('people sign in to the console', () => {
  it('signs in; changes are audited under their name, and no body can name another actor', async () => {
    await addPerson(hub, 'ana', 'admin')
    const ana = await PersonClient.signIn(hub, 'ana')
    expect((await ana.send('GET', '/api/session')).body).toMatchObject({ person: { username: 'ana', role: 'admin' } })
    expect((await ana.send('POST', '/api/sites', { code: 'people-site', name: 'People' })).status).toBe(201)
    expect(await audit('site', 'people-site')).toEqual([{ action: 'create', actor: 'ana' }])

    const impersonating = await ana.send('POST', '/api/sites', { code: 'people-site-2', name: 'Two', actor: 'somebody-else' })
    expect(impersonating).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } })
    expect(await audit('site', 'people-site-2')).toEqual([])
  })

  it('refuses a change without the CSRF token, as another site would send it', async () => {
    await addPerson(hub, 'carl', 'admin')
    const carl = await PersonClient.signIn(hub, 'carl')
    const forged = await carl.send('POST', '/api/sites', { code: 'forged', name: 'Forged' }, { csrf: false })
    expect(forged).toMatchObject({ status: 403, body: { code: 'CSRF_INVALID' } })
    const wrong = await carl.send(
      'POST',
      '/api/sites',
      { code: 'forged', name: 'Forged' },
      { headers: { 'x-csrf-token': 'x'.repeat(40) }, csrf: false },
    )
    expect(wrong).toMatchObject({ status: 403, body: { code: 'CSRF_INVALID' } })
    expect(await audit('site', 'forged')).toEqual([])
    // Reads need no token, and a key in a header needs none either (another site cannot send one).
    expect((await carl.send('GET', '/api/sites', undefined, { csrf: false })).status).toBe(200)
    const byKey = await fetch(`${await httpUrl(hub)}/api/sites`, {
      method: 'POST',
      headers: { ...bearer(s.fixture.keys.admin), 'content-type': 'application/json' },
      body: JSON.stringify({ code: 'by-key', name: 'By key' }),
    })
    expect(byKey.status).toBe(201)
  })

  it('gives a new session id at sign-in, so a planted one is worth nothing', async () => {
    await addPerson(hub, 'fixa', 'supervisor')
    const victim = await PersonClient.signIn(hub, 'fixa')
    // The attacker's own pre-sign-in cookie, planted in the victim's browser before the victim signs in.
    const planted = 'wh_session=' + encodeURIComponent('s:planted-session-id.signature')
    const client = await PersonClient.signIn(hub, 'fixa', PASSWORD, { cookie: planted })
    expect(client.cookie).not.toBe(planted)
    expect(client.cookie).not.toBe(victim.cookie)
    const attacker = PersonClient.withCookie(await httpUrl(hub), planted)
    expect((await attacker.send('GET', '/api/session')).status).toBe(401)
  })

  it('throttles wrong passwords per account, also for the right password until the lock ends', async () => {
    await addPerson(hub, 'tess', 'viewer')
    for (let i = 0; i < 3; i++) expect((await PersonClient.try(hub, 'tess', 'not the password')).status).toBe(401)
    const locked = await PersonClient.try(hub, 'tess', PASSWORD)
    expect(locked).toMatchObject({ status: 429, body: { code: 'SIGNIN_THROTTLED' } })
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0)
    // Another account from the same address is not locked by tess's failures (until the address limit).
    await addPerson(hub, 'uma', 'viewer')
    expect((await PersonClient.try(hub, 'uma', PASSWORD)).status).toBe(200)
    expect(logLines.some((l) => l.includes('sign-in refused') && l.includes('tess'))).toBe(true)
  })

  it('ends a disabled account’s sessions at once', async () => {
    await addPerson(hub, 'dora', 'supervisor')
    const dora = await PersonClient.signIn(hub, 'dora')
    const admin = await PersonClient.signIn(hub, 'ana')
    expect((await dora.send('GET', '/api/held-events?site=' + SITE)).status).toBe(200)
    expect((await admin.send('PATCH', '/api/people/dora', { active: false })).status).toBe(200)
    expect((await dora.send('GET', '/api/held-events?site=' + SITE)).status).toBe(401)
    expect((await PersonClient.try(hub, 'dora', PASSWORD)).status).toBe(401)
    expect(await audit('user', 'dora')).toContainEqual({ action: 'disable', actor: 'ana' })
  })

  it('signs out everywhere, and a password change ends the other sessions only', async () => {
    await addPerson(hub, 'eve', 'viewer')
    const [one, two, three] = [
      await PersonClient.signIn(hub, 'eve'),
      await PersonClient.signIn(hub, 'eve'),
      await PersonClient.signIn(hub, 'eve'),
    ]
    const next = 'a brand new long passphrase'
    expect((await one.send('POST', '/api/session/password', { current: 'wrong', next })).body).toMatchObject({ code: 'PASSWORD_WRONG' })
    expect((await one.send('POST', '/api/session/password', { current: PASSWORD, next: 'short' })).body).toMatchObject({
      code: 'PASSWORD_TOO_SHORT',
    })
    expect((await one.send('POST', '/api/session/password', { current: PASSWORD, next })).status).toBe(204)
    expect((await one.send('GET', '/api/session')).status).toBe(200)
    expect((await two.send('GET', '/api/session')).status).toBe(401)
    expect((await three.send('GET', '/api/session')).status).toBe(401)

    const four = await PersonClient.signIn(hub, 'eve', next)
    expect((await one.send('POST', '/api/session/sign-out-everywhere')).status).toBe(204)
    expect((await one.send('GET', '/api/session')).status).toBe(401)
    expect((await four.send('GET', '/api/session')).status).toBe(401)
  })

  it('ends a person’s change stream when their sessions end', async () => {
    await addPerson(hub, 'gil', 'viewer')
    const gil = await PersonClient.signIn(hub, 'gil')
    const stream = await fetch(`${await httpUrl(hub)}/api/changes`, { headers: { cookie: gil.cookie } })
    expect(stream.headers.get('content-type')).toContain('text/event-stream')
    const text = stream.text()
    await gil.send('POST', '/api/session/sign-out-everywhere')
    expect(await text).toContain(': listening')
  })
})

describe('roles', () => {
  // A person's own session, and the public routes a floor screen pairs itself through.
  const OWN_OR_PUBLIC = new Set([
    '/api/session',
    '/api/session/password',
    '/api/session/sign-out-everywhere',
    '/api/screen-pairings',
    '/api/screen-pairings/claim',
  ])

  it('refuses a viewer every change, on every route but their own session', async () => {
    await addPerson(hub, 'vic', 'viewer')
    const vic = await PersonClient.signIn(hub, 'vic')
    const changes = everyChange(hub).filter((r) => !OWN_OR_PUBLIC.has(r.url))
    expect(changes.length).toBeGreaterThan(50)
    const answers = await Promise.all(
      changes.map(async (r) => [`${r.method} ${r.url}`, (await vic.send(r.method, r.url, {})).status] as const),
    )
    expect(answers.filter(([, status]) => status !== 403)).toEqual([])
  })

  it('refuses a viewer the admin and supervisor reads, and lets them read stock', async () => {
    const vic = await PersonClient.signIn(hub, 'vic')
    for (const url of ['/api/keys', '/api/people', '/api/devices', '/admin/queues'])
      expect([url, (await vic.send('GET', url)).status]).toEqual([url, 403])
    expect((await vic.send('GET', `/api/inventory?site=${SITE}`)).status).toBe(200)
  })

  it('keeps sites apart for a person limited to one', async () => {
    await addPerson(hub, 'sid', 'viewer', { sites: ['elsewhere'] })
    const sid = await PersonClient.signIn(hub, 'sid')
    expect((await sid.send('GET', `/api/inventory?site=${SITE}`)).body).toMatchObject({ code: 'FORBIDDEN_SITE' })
    await addPerson(hub, 'sue-east', 'supervisor', { sites: ['elsewhere'] })
    const sue = await PersonClient.signIn(hub, 'sue-east')
    expect((await sue.send('GET', '/api/audit')).body).toMatchObject({ code: 'FORBIDDEN_SITE' })
  })
})

describe('log lines', () => {
  it('never hold a password, a session id, a CSRF token or a device secret', async () => {
    const admin = await PersonClient.signIn(hub, 'ana')
    const registered = await admin.send<{ secret: string }>('POST', '/api/devices', { id: 'LOG-1', site: SITE })
    expect(registered.status).toBe(201)
    const rotated = await admin.send<{ secret: string }>('POST', '/api/devices/LOG-1/rotate', {})
    await PersonClient.try(hub, 'ana', 'a wrong password typed here')
    const sessionId = decodeURIComponent(admin.cookie.slice('wh_session='.length)).slice(2).split('.')[0]!
    const secrets = [PASSWORD, 'a wrong password typed here', sessionId, admin.csrfToken, registered.body.secret, rotated.body.secret]
    const leaks = logLines.filter((line) => secrets.some((secret) => line.includes(secret)))
    expect(leaks).toEqual([])
  })
})
