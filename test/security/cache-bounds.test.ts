import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { count, eq } from 'drizzle-orm'
import { vehicles } from '../support/tables.ts'
import { buildTestApp, testDbKind, type TestApp } from '../support/app.ts'
import { castOf } from '../support/actors.ts'
import { createUser, type TestUser } from '../support/factories/users.ts'
import { createVehicle, randomVin } from '../support/factories/vehicles.ts'

const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

// What one signed-in customer can make the cache hold: nothing beyond one entry per real variant.
describe('a bound on what one account can make the cache hold', () => {
  let t: TestApp
  let customer: TestUser
  let advisor: TestUser
  let vehicleId = 0
  const entries = async (namespace: string) => (await t.app.cache.countKeys(5000)).counts[namespace] ?? 0

  beforeAll(async () => {
    t = await buildTestApp({ env: { MAX_VEHICLES_PER_CUSTOMER: '5' } })
    ;({ customerA: customer, advisor } = await castOf(t.app.db))
    vehicleId = (await createVehicle(t.app.db, customer.id)).id
  })
  afterAll(async () => {
    await t?.close()
  })

  it('refuses a cursor with extra fields (400) and caches nothing for it', async () => {
    const first = await t.app.inject({ method: 'GET', url: '/api/vehicles?limit=1', headers: customer.auth })
    expect(first.statusCode).toBe(200)
    const before = await entries('vehicle_list')
    for (let i = 0; i < 10; i++) {
      const res = await t.app.inject({ method: 'GET', url: `/api/vehicles?cursor=${cursorOf({ after: 0, x: i })}`, headers: customer.auth })
      expect(res.statusCode).toBe(400)
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    }
    // A spaced-out spelling of a real cursor is not a second key for the same page either.
    expect((await t.app.inject({ method: 'GET', url: `/api/vehicles?cursor=${Buffer.from('{ "after": 0 }').toString('base64url')}`, headers: customer.auth })).statusCode).toBe(400)
    expect(await entries('vehicle_list')).toBe(before)
  })

  it('keeps one entry for a vehicle however many unknown query parameters are sent', async () => {
    const before = await entries('vehicle_detail')
    for (let i = 0; i < 10; i++) {
      const res = await t.app.inject({ method: 'GET', url: `/api/vehicles/${vehicleId}?junk=${i}`, headers: customer.auth })
      expect(res.statusCode).toBe(200)
      if (i > 0) expect(res.headers['x-cache']).toBe('HIT')
    }
    expect(await entries('vehicle_detail')).toBe(before + 1)
  })

  it('does not cache free-text searches: every text would be a new entry', async () => {
    const before = await entries('vehicle_list')
    for (let i = 0; i < 5; i++) {
      const res = await t.app.inject({ method: 'GET', url: `/api/vehicles?q=search${i}`, headers: customer.auth })
      expect(res.statusCode).toBe(200)
      expect(res.headers['x-cache']).toBe('BYPASS')
    }
    expect(await entries('vehicle_list')).toBe(before)
  })

  it('caps the vehicles of one customer (MAX_VEHICLES_PER_CUSTOMER): 409 problem+json beyond it, nothing written', async () => {
    const owner = await createUser(t.app.db)
    const add = (who: TestUser, body: Record<string, unknown> = {}) =>
      t.app.inject({
        method: 'POST',
        url: '/api/vehicles',
        headers: who.auth,
        payload: { make: 'Ford', model: 'Ka', year: 2015, vin: randomVin(), licensePlate: 'AB-1', mileage: 1, color: 'Red', ...body },
      })
    for (let i = 0; i < 5; i++) expect((await add(owner)).statusCode).toBe(201)
    const refused = await add(owner)
    expect(refused.statusCode).toBe(409)
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(refused.json()).toMatchObject({ code: 'ECAR_ERR_TOO_MANY_VEHICLES' })
    // Staff adding for the customer, or moving a vehicle to them, meets the same cap.
    expect((await add(advisor, { ownerId: owner.id })).statusCode).toBe(409)
    const moved = await t.app.inject({ method: 'PATCH', url: `/api/vehicles/${vehicleId}`, headers: advisor.auth, payload: { ownerId: owner.id } })
    expect(moved.statusCode).toBe(409)
    const [row] = await t.app.db.select({ n: count() }).from(vehicles).where(eq(vehicles.ownerId, owner.id))
    expect(row!.n).toBe(5)
  })

  it.skipIf(testDbKind() !== 'postgres')('holds the cap under concurrent adds (the owner row is locked, not checked then written)', async () => {
    const owner = await createUser(t.app.db)
    const results = await Promise.all(
      Array.from({ length: 12 }, () =>
        t.app.inject({
          method: 'POST',
          url: '/api/vehicles',
          headers: owner.auth,
          payload: { make: 'Ford', model: 'Ka', year: 2015, vin: randomVin(), licensePlate: 'AB-1', mileage: 1, color: 'Red' },
        }),
      ),
    )
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(5)
    expect(results.filter((r) => r.statusCode === 409)).toHaveLength(7)
    const [row] = await t.app.db.select({ n: count() }).from(vehicles).where(eq(vehicles.ownerId, owner.id))
    expect(row!.n).toBe(5)
  })

  it('pages /api/customers/:id/vehicles from the one cached list', async () => {
    const owner = await createUser(t.app.db)
    const ids: number[] = []
    for (let i = 0; i < 5; i++) ids.push((await createVehicle(t.app.db, owner.id)).id)
    const url = `/api/customers/${owner.id}/vehicles`
    const all = await t.app.inject({ method: 'GET', url, headers: owner.auth })
    expect(Object.keys(all.json())).toEqual(['items'])
    expect(all.json().items.map((v: { id: number }) => v.id)).toEqual(ids)
    const before = await entries('customer_vehicles')
    const seen: number[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const res = await t.app.inject({ method: 'GET', url: `${url}?limit=2${cursor ? `&cursor=${cursor}` : ''}`, headers: owner.auth })
      expect(res.statusCode).toBe(200)
      expect(res.headers['x-cache']).toBe('HIT')
      const page = res.json() as { items: { id: number }[]; nextCursor: string | null }
      expect(page.items.length).toBeLessThanOrEqual(2)
      seen.push(...page.items.map((v) => v.id))
      cursor = page.nextCursor
      pages++
    } while (cursor !== null && pages < 10)
    expect(seen).toEqual(ids)
    expect(pages).toBe(3)
    expect(await entries('customer_vehicles')).toBe(before)
    expect((await t.app.inject({ method: 'GET', url: `${url}?cursor=${cursorOf({ after: 0, x: 1 })}`, headers: owner.auth })).statusCode).toBe(400)
    expect((await t.app.inject({ method: 'GET', url: `${url}?junk=1`, headers: owner.auth })).statusCode).toBe(400)
  })
})
