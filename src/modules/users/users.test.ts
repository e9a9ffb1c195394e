import { randomBytes } from 'node:crypto'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, type TestApp } from '../../../test/support/app.ts'
import { createUser, TEST_PASSWORD, type TestUser } from '../../../test/support/factories/users.ts'
import { tokenHash } from '../../platform/auth/tokens.ts'
import { encodeCursor } from '../../platform/http/pagination.ts'
import { SESSION_NAMESPACE, sessionKey, sessionTag } from '../auth/auth.cache.ts'
import { users } from './users.table.ts'

const NEW_PASSWORD = 'a fresh staff passphrase'
let seq = 0
const tag = () => `${randomBytes(3).toString('hex')}${seq++}`
const address = () => `10.7.${Math.floor(seq / 250)}.${(seq++ % 250) + 1}`

describe('users routes', () => {
  let t: TestApp
  let admin: TestUser
  const as = (who: TestUser | undefined) => (who ? who.auth : {})
  const create = (payload: object, who: TestUser | undefined = admin) =>
    t.app.inject({ method: 'POST', url: '/api/users', headers: as(who), payload })
  const list = (query: string, who: TestUser | undefined = admin) => t.app.inject({ method: 'GET', url: `/api/users${query}`, headers: as(who) })
  const patch = (id: number, payload: object, who: TestUser | undefined = admin) =>
    t.app.inject({ method: 'PATCH', url: `/api/users/${id}`, headers: as(who), payload })
  // Whether the auth plugin's cached lookup of this user's session is there (it carries name and role).
  const sessionCached = async (who: TestUser) => {
    const hash = tokenHash(who.token)
    const found = await t.app.cache.lookup(sessionKey(hash), { namespace: SESSION_NAMESPACE, ttlMs: 60_000, tags: [sessionTag(hash)] })
    return found.status === 'HIT'
  }
  const me = (who: TestUser) => t.app.inject({ method: 'GET', url: '/api/auth/me', headers: who.auth })
  const login = (email: string, password: string) =>
    t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password }, remoteAddress: address() })

  beforeAll(async () => {
    t = await buildTestApp()
    admin = await createUser(t.app.db, { role: 'admin' })
  })
  afterAll(async () => t?.close())

  describe('access', () => {
    const routes = [
      { method: 'POST', url: '/api/users', payload: { email: 'x@example.test', password: TEST_PASSWORD, name: 'X', role: 'customer' } },
      { method: 'GET', url: '/api/users' },
      { method: 'GET', url: '/api/users/1' },
      { method: 'PATCH', url: '/api/users/1', payload: { name: 'Nope' } },
    ] as const

    it('anonymous callers get 401 on every route', async () => {
      for (const route of routes) {
        const res = await t.app.inject({ ...route })
        expect(res.statusCode, `${route.method} ${route.url}`).toBe(401)
      }
    })

    it('customers, mechanics and advisors get 403 and change nothing', async () => {
      const before = await t.app.db.select().from(users)
      for (const role of ['customer', 'mechanic', 'advisor'] as const) {
        const who = await createUser(t.app.db, { role })
        for (const route of routes) {
          const res = await t.app.inject({ ...route, url: route.url.replace('/1', `/${admin.id}`), headers: who.auth })
          expect(res.statusCode, `${role} ${route.method} ${route.url}`).toBe(403)
          expect(res.json()).toMatchObject({ status: 403, code: 'ECAR_ERR_FORBIDDEN' })
        }
      }
      const [row] = await t.app.db.select().from(users).where(eq(users.id, admin.id))
      expect(row!.name).toBe(admin.name)
      expect(await t.app.db.select().from(users)).toHaveLength(before.length + 3)
    })
  })

  describe('POST /api/users', () => {
    it('creates an account of any role with a lower-cased email and no password hash in sight', async () => {
      const email = `New.Mechanic-${tag()}@Example.TEST`
      const res = await create({ email, password: NEW_PASSWORD, name: 'Rosa Diaz', role: 'mechanic', phone: '+44 20 7946 0001' })
      expect(res.statusCode).toBe(201)
      const user = res.json()
      expect(user).toEqual({
        id: expect.any(Number),
        email: email.toLowerCase(),
        name: 'Rosa Diaz',
        phone: '+44 20 7946 0001',
        role: 'mechanic',
        active: true,
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
        updatedAt: expect.stringMatching(/Z$/),
      })
      expect(res.body).not.toMatch(/scrypt|password/i)
      const fetched = await t.app.inject({ method: 'GET', url: `/api/users/${user.id}`, headers: admin.auth })
      expect(fetched.json()).toEqual(user)
      const signedIn = await login(email, NEW_PASSWORD)
      expect(signedIn.statusCode).toBe(200)
      expect(signedIn.json().user).toMatchObject({ id: user.id, role: 'mechanic' })
    })

    it('refuses a taken email in any case with 409 ECAR_ERR_EMAIL_TAKEN', async () => {
      const email = `taken-${tag()}@example.test`
      expect((await create({ email, password: NEW_PASSWORD, name: 'First', role: 'advisor' })).statusCode).toBe(201)
      const res = await create({ email: email.toUpperCase(), password: NEW_PASSWORD, name: 'Second', role: 'admin' })
      expect(res.statusCode).toBe(409)
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
      expect(res.json()).toMatchObject({ status: 409, code: 'ECAR_ERR_EMAIL_TAKEN' })
      const rows = await t.app.db.select().from(users).where(eq(users.email, email))
      expect(rows.map((r) => [r.name, r.role])).toEqual([['First', 'advisor']])
    })

    it('refuses bad input with 400 listing the fields, and creates nothing', async () => {
      const email = `bad-${tag()}@example.test`
      const cases: [object, string][] = [
        [{ email, password: 'short', name: 'A', role: 'customer' }, 'body.password'],
        [{ email, password: 'x'.repeat(129), name: 'A', role: 'customer' }, 'body.password'],
        [{ email, password: NEW_PASSWORD, name: 'A', role: 'boss' }, 'body.role'],
        [{ email: 'not-an-email', password: NEW_PASSWORD, name: 'A', role: 'customer' }, 'body.email'],
        [{ email, password: NEW_PASSWORD, role: 'customer' }, 'body.name'],
        [{ email, password: NEW_PASSWORD, name: 'A', role: 'customer', id: 5 }, 'body.id'],
        [{ email, password: NEW_PASSWORD, name: 'A', role: 'customer', createdAt: '2020-01-01T00:00:00Z' }, 'body.createdAt'],
        [{ email, password: NEW_PASSWORD, name: 'A', role: 'customer', active: false }, 'body.active'],
      ]
      for (const [payload, field] of cases) {
        const res = await create(payload)
        expect(res.statusCode, field).toBe(400)
        expect(res.json().errors.map((e: { field: string }) => e.field), field).toContain(field)
      }
      expect(await t.app.db.select().from(users).where(eq(users.email, email))).toHaveLength(0)
    })
  })

  describe('GET /api/users', () => {
    let marker: string
    const made: Record<string, { id: number }> = {}
    beforeAll(async () => {
      marker = `zq${tag()}`
      const specs = [
        ['pct', `${marker} 100% Motors`, 'advisor'],
        ['under', `${marker} a_b Garage`, 'mechanic'],
        ['plain', `${marker} aXb 100 Motors`, 'mechanic'],
        ['star', `${marker} Star*Cars`, 'customer'],
      ] as const
      for (const [key, name, role] of specs) {
        const res = await create({ email: `${key}-${marker}@example.test`, password: NEW_PASSWORD, name, role })
        made[key] = res.json()
      }
      await patch(made.plain!.id, { active: false })
    })
    const ids = (res: { json(): { items: { id: number }[] } }) => res.json().items.map((u) => u.id)

    it('filters by role and by active', async () => {
      const mechanics = await list(`?role=mechanic&q=${marker}`)
      expect(mechanics.statusCode).toBe(200)
      expect(ids(mechanics).sort()).toEqual([made.under!.id, made.plain!.id].sort())
      expect(mechanics.json().items.every((u: { role: string }) => u.role === 'mechanic')).toBe(true)
      expect(ids(await list(`?role=mechanic&active=true&q=${marker}`))).toEqual([made.under!.id])
      expect(ids(await list(`?active=false&q=${marker}`))).toEqual([made.plain!.id])
      expect((await list('?role=boss')).statusCode).toBe(400)
      expect((await list('?active=maybe')).statusCode).toBe(400)
      expect((await list('?colour=red')).statusCode).toBe(400)
    })

    it('searches name and email case-insensitively, with % _ and * matching themselves', async () => {
      expect(ids(await list(`?q=${encodeURIComponent(`${marker} 100% m`.toUpperCase())}`))).toEqual([made.pct!.id])
      expect(ids(await list(`?q=${encodeURIComponent('%')}`))).toEqual([made.pct!.id])
      expect(ids(await list(`?q=${encodeURIComponent(`${marker} a_b`)}`))).toEqual([made.under!.id])
      expect(ids(await list(`?q=${encodeURIComponent('*')}`))).toEqual([made.star!.id])
      expect(ids(await list(`?q=${encodeURIComponent(`UNDER-${marker}@`)}`))).toEqual([made.under!.id])
      expect((await list('?q=')).statusCode).toBe(400)
    })

    it('pages through every account with an opaque cursor, and refuses a malformed one or a bad limit', async () => {
      const all = ids(await list('?limit=200'))
      const seen: number[] = []
      let cursor: string | null = null
      let pages = 0
      do {
        const res = await list(`?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
        expect(res.statusCode).toBe(200)
        const body = res.json()
        expect(body.items.length).toBeLessThanOrEqual(2)
        seen.push(...body.items.map((u: { id: number }) => u.id))
        cursor = body.nextCursor
        pages++
      } while (cursor && pages < 100)
      expect(seen).toEqual(all)
      expect(all.length).toBeGreaterThan(4)
      expect([...all].sort((a, b) => a - b)).toEqual(all)
      expect(ids(await list(`?limit=1&cursor=${encodeCursor(all[0]!)}`))).toEqual([all[1]])
      for (const bad of ['not-a-cursor!', 'abc', encodeURIComponent(Buffer.from('{"after":-1}').toString('base64url')), '%25']) {
        const res = await list(`?cursor=${bad}`)
        expect(res.statusCode, bad).toBe(400)
        expect(res.json()).toMatchObject({ status: 400, code: 'ECAR_ERR_VALIDATION' })
      }
      expect((await list('?limit=0')).statusCode).toBe(400)
      expect((await list('?limit=201')).statusCode).toBe(400)
    })
  })

  describe('GET /api/users/:id', () => {
    it('is 404 for an unknown id and 400 for a malformed one', async () => {
      const missing = await t.app.inject({ method: 'GET', url: '/api/users/999999', headers: admin.auth })
      expect(missing.statusCode).toBe(404)
      expect(missing.json()).toMatchObject({ code: 'ECAR_ERR_USER_NOT_FOUND' })
      expect((await t.app.inject({ method: 'GET', url: '/api/users/abc', headers: admin.auth })).statusCode).toBe(400)
      expect((await t.app.inject({ method: 'GET', url: '/api/users/0', headers: admin.auth })).statusCode).toBe(400)
    })
  })

  describe('PATCH /api/users/:id', () => {
    it('changes name and phone; the session stays and shows the new name at once', async () => {
      const who = await createUser(t.app.db, { role: 'advisor' })
      expect((await me(who)).json().name).toBe(who.name)
      expect(await sessionCached(who)).toBe(true)
      const res = await patch(who.id, { name: 'Renamed Advisor', phone: '+44 20 7946 0002' })
      expect(res.statusCode).toBe(200)
      expect(res.json()).toMatchObject({ id: who.id, name: 'Renamed Advisor', phone: '+44 20 7946 0002', role: 'advisor', active: true })
      expect(Date.parse(res.json().updatedAt)).toBeGreaterThanOrEqual(Date.parse(res.json().createdAt))
      // The cached lookup holds the old name: the write must have dropped it.
      expect(await sessionCached(who)).toBe(false)
      const after = await me(who)
      expect(after.statusCode).toBe(200)
      expect(after.json().name).toBe('Renamed Advisor')
      const cleared = await patch(who.id, { phone: null })
      expect(cleared.json().phone).toBeNull()
    })

    it('a role change ends the user’s sessions at once, even a cached one', async () => {
      const who = await createUser(t.app.db, { role: 'advisor' })
      expect((await me(who)).statusCode).toBe(200)
      expect(await sessionCached(who)).toBe(true)
      const res = await patch(who.id, { role: 'mechanic' })
      expect(res.statusCode).toBe(200)
      expect(res.json().role).toBe('mechanic')
      expect((await me(who)).statusCode).toBe(401)
      const again = await login(who.email, TEST_PASSWORD)
      expect(again.statusCode).toBe(200)
      expect(again.json().user.role).toBe('mechanic')
    })

    it('deactivation ends the sessions and refuses sign-in; reactivation allows it again', async () => {
      const who = await createUser(t.app.db, { role: 'customer' })
      expect((await me(who)).statusCode).toBe(200)
      expect((await patch(who.id, { active: false })).json().active).toBe(false)
      expect((await me(who)).statusCode).toBe(401)
      expect((await login(who.email, TEST_PASSWORD)).statusCode).toBe(401)
      expect((await patch(who.id, { active: true })).json().active).toBe(true)
      expect((await login(who.email, TEST_PASSWORD)).statusCode).toBe(200)
    })

    it('a password reset ends the sessions; only the new password signs in', async () => {
      const who = await createUser(t.app.db, { role: 'mechanic' })
      expect((await me(who)).statusCode).toBe(200)
      expect((await patch(who.id, { password: NEW_PASSWORD })).statusCode).toBe(200)
      expect((await me(who)).statusCode).toBe(401)
      expect((await login(who.email, TEST_PASSWORD)).statusCode).toBe(401)
      expect((await login(who.email, NEW_PASSWORD)).statusCode).toBe(200)
    })

    it('refuses unknown, read-only and invalid fields, and an empty body, changing nothing', async () => {
      const who = await createUser(t.app.db, { role: 'customer' })
      // An email is changeable since #13.5; a malformed one is still refused.
      for (const payload of [{}, { email: 'not an email' }, { id: 9 }, { updatedAt: '2020-01-01T00:00:00Z' }, { role: 'boss' }, { password: 'short' }, { name: '' }, { active: 'no' }]) {
        const res = await patch(who.id, payload)
        expect(res.statusCode, JSON.stringify(payload)).toBe(400)
      }
      const [row] = await t.app.db.select().from(users).where(eq(users.id, who.id))
      expect(row).toMatchObject({ email: who.email, name: who.name, role: 'customer', active: true })
      expect((await me(who)).statusCode).toBe(200)
    })

    it('is 404 for an unknown user', async () => {
      const res = await patch(999_999, { name: 'Ghost' })
      expect(res.statusCode).toBe(404)
      expect(res.json()).toMatchObject({ code: 'ECAR_ERR_USER_NOT_FOUND' })
    })
  })
})

describe('the last active admin', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await buildTestApp()
  })
  afterAll(async () => t?.close())
  const patch = (id: number, payload: object, who: TestUser) => t.app.inject({ method: 'PATCH', url: `/api/users/${id}`, headers: who.auth, payload })

  it('cannot be demoted or deactivated (409), but can be once another admin exists', async () => {
    const only = await createUser(t.app.db, { role: 'admin' })
    for (const payload of [{ role: 'advisor' }, { active: false }, { role: 'customer', active: false }]) {
      const res = await patch(only.id, payload, only)
      expect(res.statusCode, JSON.stringify(payload)).toBe(409)
      expect(res.json()).toMatchObject({ status: 409, code: 'ECAR_ERR_LAST_ADMIN' })
    }
    // Other changes to the last admin are fine and keep its session.
    expect((await patch(only.id, { name: 'Still In Charge', role: 'admin', active: true }, only)).statusCode).toBe(200)
    const [row] = await t.app.db.select().from(users).where(eq(users.id, only.id))
    expect(row).toMatchObject({ role: 'admin', active: true, name: 'Still In Charge' })

    const second = await createUser(t.app.db, { role: 'admin' })
    const demoted = await patch(only.id, { role: 'advisor' }, second)
    expect(demoted.statusCode).toBe(200)
    expect((await patch(second.id, { active: false }, second)).statusCode).toBe(409)
  })

  it('concurrent demotions of the last two admins leave one admin standing', async () => {
    const a = await createUser(t.app.db, { role: 'admin' })
    const b = await createUser(t.app.db, { role: 'admin' })
    // Leave exactly these two active admins.
    const others = await t.app.db.select().from(users).where(eq(users.role, 'admin'))
    for (const other of others) if (other.id !== a.id && other.id !== b.id) await t.app.db.update(users).set({ role: 'advisor' }).where(eq(users.id, other.id))
    const results = await Promise.all([patch(a.id, { role: 'mechanic' }, b), patch(b.id, { active: false }, a)])
    // The loser is refused either by the last-admin check (409) or, when the winner's change ended
    // the loser's own session before it was authenticated, as signed out (401); never both applied.
    expect([
      [200, 401],
      [200, 409],
    ]).toContainEqual(results.map((r) => r.statusCode).sort())
    const admins = (await t.app.db.select().from(users).where(eq(users.role, 'admin'))).filter((u) => u.active)
    expect(admins).toHaveLength(1)
  })
})
