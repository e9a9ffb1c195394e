import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, testCacheKind, type TestApp } from '../support/app.ts'
import { castOf } from '../support/actors.ts'
import { createUser, type TestUser } from '../support/factories/users.ts'
import { createVehicle } from '../support/factories/vehicles.ts'

// The seed's cache_page flaws, each shown closed, on Redis and on the memory backend.
describe(`per-user response cache (${testCacheKind()})`, () => {
  let t: TestApp
  let alice: TestUser
  let bob: TestUser
  beforeAll(async () => {
    t = await buildTestApp()
    ;({ customerA: alice, customerB: bob } = await castOf(t.app.db))
    await createVehicle(t.app.db, alice.id, { make: 'Alfa', model: 'Giulia' })
    await createVehicle(t.app.db, bob.id, { make: 'Bmw', model: 'Isetta' })
  })
  afterAll(async () => t?.close())

  const list = (headers: Record<string, string>) => t.app.inject({ method: 'GET', url: '/api/vehicles', headers })

  it('is MISS then HIT for one user, with an ETag and private caching headers', async () => {
    const first = await list(alice.auth)
    expect(first.statusCode).toBe(200)
    expect(first.headers['x-cache']).toBe('MISS')
    const second = await list(alice.auth)
    expect(second.headers['x-cache']).toBe('HIT')
    expect(second.body).toBe(first.body)
    expect(second.headers.etag).toBe(first.headers.etag)
    expect(second.headers['cache-control']).toContain('private')
    expect(second.headers.vary).toContain('Authorization')
  })

  it('never hands one user another user’s cached response (pitfall 1)', async () => {
    await list(alice.auth) // alice's list is cached
    const res = await list(bob.auth)
    expect(res.statusCode).toBe(200)
    expect(res.headers['x-cache']).toBe('MISS')
    const items = res.json().items as { ownerId: number; make: string }[]
    expect(items.map((v) => v.make)).toEqual(['Bmw'])
    expect(items.every((v) => v.ownerId === bob.id)).toBe(true)
  })

  it('answers anonymous and revoked requests with 401 even when the response is cached (pitfall 2)', async () => {
    const carol = await createUser(t.app.db)
    await createVehicle(t.app.db, carol.id)
    expect((await list(carol.auth)).headers['x-cache']).toBe('MISS')
    expect((await list(carol.auth)).headers['x-cache']).toBe('HIT')
    expect((await list({})).statusCode).toBe(401)
    expect((await list({ authorization: 'Bearer not-a-real-token-at-all' })).statusCode).toBe(401)
    const logout = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: carol.auth })
    expect(logout.statusCode).toBe(204)
    const after = await list(carol.auth)
    expect(after.statusCode).toBe(401)
    expect(after.headers['content-type']).toMatch(/problem\+json/)
  })

  it('answers If-None-Match with 304 on a hit', async () => {
    const warm = await list(alice.auth)
    const res = await list({ ...alice.auth, 'if-none-match': warm.headers.etag as string })
    expect(res.statusCode).toBe(304)
    expect(res.body).toBe('')
    const other = await list({ ...alice.auth, 'if-none-match': '"something-else"' })
    expect(other.statusCode).toBe(200)
  })

  it('gives the data-cached customer list an ETag and a 304 too', async () => {
    const url = `/api/customers/${alice.id}/vehicles`
    const first = await t.app.inject({ method: 'GET', url, headers: alice.auth })
    expect(first.statusCode).toBe(200)
    expect(first.headers.etag).toMatch(/^"/)
    const again = await t.app.inject({ method: 'GET', url, headers: { ...alice.auth, 'if-none-match': first.headers.etag as string } })
    expect(again.statusCode).toBe(304)
    expect(again.headers['x-cache']).toBe('HIT')
  })

  it('shows a write at once, as a MISS (pitfall 3: the seed left this page stale for 15 minutes)', async () => {
    const before = await list(alice.auth)
    const vehicle = (before.json().items as { id: number }[])[0]!
    expect((await list(alice.auth)).headers['x-cache']).toBe('HIT')
    const patch = await t.app.inject({ method: 'PATCH', url: `/api/vehicles/${vehicle.id}`, headers: alice.auth, payload: { color: 'Rosso' } })
    expect(patch.statusCode).toBe(200)
    const after = await list(alice.auth)
    expect(after.headers['x-cache']).toBe('MISS')
    expect((after.json().items as { color: string }[])[0]!.color).toBe('Rosso')
    expect(after.headers.etag).not.toBe(before.headers.etag)
  })

  it('serves a warm GET /api/vehicles with zero database queries', async () => {
    await list(alice.auth)
    await list(alice.auth)
    const before = t.app.database.queries.count
    for (let i = 0; i < 20; i++) expect((await list(alice.auth)).headers['x-cache']).toBe('HIT')
    expect(t.app.database.queries.count - before).toBe(0)
  })

  it('keys by the validated query: reordered parameters share an entry, other pages do not', async () => {
    const staff = await createUser(t.app.db, { role: 'advisor' })
    const a = await t.app.inject({ method: 'GET', url: `/api/vehicles?ownerId=${alice.id}&limit=5`, headers: staff.auth })
    const b = await t.app.inject({ method: 'GET', url: `/api/vehicles?limit=5&ownerId=${alice.id}`, headers: staff.auth })
    expect(a.headers['x-cache']).toBe('MISS')
    expect(b.headers['x-cache']).toBe('HIT')
    const c = await t.app.inject({ method: 'GET', url: `/api/vehicles?limit=6&ownerId=${alice.id}`, headers: staff.auth })
    expect(c.headers['x-cache']).toBe('MISS')
  })

  it('gives each of 200 concurrent users their own list, cold and warm', async () => {
    const users = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const user = await createUser(t.app.db)
        await createVehicle(t.app.db, user.id, { model: `Model-${i}` })
        return { user, model: `Model-${i}` }
      }),
    )
    for (const round of ['MISS', 'HIT']) {
      const responses = await Promise.all(users.map(({ user }) => list(user.auth)))
      responses.forEach((res, i) => {
        expect(res.statusCode).toBe(200)
        expect(res.headers['x-cache']).toBe(round)
        const items = res.json().items as { ownerId: number; model: string }[]
        expect(items).toHaveLength(1)
        expect(items[0]!.ownerId).toBe(users[i]!.user.id)
        expect(items[0]!.model).toBe(users[i]!.model)
      })
    }
  })

  it('runs the list query once for 200 concurrent cold requests of one user', async () => {
    const dave = await createUser(t.app.db)
    await createVehicle(t.app.db, dave.id)
    await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: dave.auth }) // warm the session
    const before = t.app.database.queries.count
    const responses = await Promise.all(Array.from({ length: 200 }, () => list(dave.auth)))
    expect(responses.every((r) => r.statusCode === 200)).toBe(true)
    expect(t.app.database.queries.count - before).toBe(1)
  })

  it('runs one session query and one list query for 200 concurrent requests with a cold session', async () => {
    const erin = await createUser(t.app.db)
    await createVehicle(t.app.db, erin.id)
    const before = t.app.database.queries.count
    const responses = await Promise.all(Array.from({ length: 200 }, () => list(erin.auth)))
    expect(responses.every((r) => r.statusCode === 200)).toBe(true)
    expect(t.app.database.queries.count - before).toBe(2)
  })

  it('CACHE_ENABLED=false answers BYPASS and always reads the database', async () => {
    const off = await buildTestApp({ env: { CACHE_ENABLED: 'false' } })
    try {
      const user = await createUser(off.app.db)
      const res = await off.app.inject({ method: 'GET', url: '/api/vehicles', headers: user.auth })
      expect(res.headers['x-cache']).toBe('BYPASS')
      const before = off.app.database.queries.count
      await off.app.inject({ method: 'GET', url: '/api/vehicles', headers: user.auth })
      expect(off.app.database.queries.count).toBeGreaterThan(before)
    } finally {
      await off.close()
    }
  })
})
