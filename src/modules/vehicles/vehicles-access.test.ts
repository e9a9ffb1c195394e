import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, type TestApp } from '../../../test/support/app.ts'
import { castOf } from '../../../test/support/actors.ts'
import { createUser, type TestUser } from '../../../test/support/factories/users.ts'
import { createVehicle, vehicleBody } from '../../../test/support/factories/vehicles.ts'
import { caller, errorFields } from '../../../test/support/http.ts'
import { users } from '../users/users.table.ts'
import { vehicles } from './vehicles.table.ts'

describe('vehicles: who may see and change what', () => {
  let t: TestApp
  let call: ReturnType<typeof caller>
  let alice: TestUser
  let bob: TestUser
  let mechanic: TestUser
  let advisor: TestUser
  let admin: TestUser

  const rowOf = async (id: number) => (await t.app.db.select().from(vehicles).where(eq(vehicles.id, id)))[0]

  beforeAll(async () => {
    t = await buildTestApp()
    call = caller(t.app)
    ;({ customerA: alice, customerB: bob, mechanic, advisor, admin } = await castOf(t.app.db))
  })
  afterAll(async () => t?.close())

  it('answers 401 without a token on every route', async () => {
    const vehicle = await createVehicle(t.app.db, alice.id)
    for (const [method, url] of [
      ['GET', '/api/vehicles'],
      ['POST', '/api/vehicles'],
      ['GET', `/api/vehicles/${vehicle.id}`],
      ['PATCH', `/api/vehicles/${vehicle.id}`],
      ['DELETE', `/api/vehicles/${vehicle.id}`],
    ] as const) {
      const res = await call(undefined, method, url, method === 'POST' || method === 'PATCH' ? { color: 'Red' } : undefined)
      expect(res.statusCode, `${method} ${url}`).toBe(401)
    }
    expect(await rowOf(vehicle.id)).toEqual(vehicle)
  })

  it("hides a customer's vehicle from another customer: 404 on read, change and delete, nothing changes", async () => {
    const vehicle = await createVehicle(t.app.db, alice.id)
    for (const [method, payload] of [['GET'], ['PATCH', { color: 'Pink' }], ['PATCH', { mileage: 1 }], ['DELETE']] as const) {
      const res = await call(bob, method, `/api/vehicles/${vehicle.id}`, payload)
      expect(res.statusCode, method).toBe(404)
      expect(res.json().code).toBe('ECAR_ERR_VEHICLE_NOT_FOUND')
    }
    expect(await rowOf(vehicle.id)).toEqual(vehicle)
    expect((await call(alice, 'GET', `/api/vehicles/${vehicle.id}`)).statusCode).toBe(200)
  })

  it('lists only their own vehicles to a customer; naming another owner is 403', async () => {
    const mine = await createVehicle(t.app.db, alice.id)
    const theirs = await createVehicle(t.app.db, bob.id)
    const list = await call(alice, 'GET', '/api/vehicles?limit=200')
    expect(list.statusCode).toBe(200)
    const ids = list.json().items.map((v: { id: number }) => v.id)
    expect(ids).toContain(mine.id)
    expect(ids).not.toContain(theirs.id)
    expect(list.json().items.every((v: { ownerId: number }) => v.ownerId === alice.id)).toBe(true)
    expect((await call(alice, 'GET', `/api/vehicles?ownerId=${alice.id}&limit=200`)).json().items.map((v: { id: number }) => v.id)).toEqual(ids)
    const other = await call(alice, 'GET', `/api/vehicles?ownerId=${bob.id}`)
    expect(other.statusCode).toBe(403)
    expect(other.json().code).toBe('ECAR_ERR_FORBIDDEN')
  })

  it('never serves one user the cached list of another at the same URL', async () => {
    const carol = await createUser(t.app.db)
    const dave = await createUser(t.app.db)
    const carols = await call(advisor, 'POST', '/api/vehicles', vehicleBody({ ownerId: carol.id }))
    for (let i = 0; i < 2; i++) {
      const list = await call(carol, 'GET', '/api/vehicles')
      expect(list.json().items.map((v: { id: number }) => v.id)).toEqual([carols.json().id])
    }
    const other = await call(dave, 'GET', '/api/vehicles')
    expect(other.statusCode).toBe(200)
    expect(other.json()).toEqual({ items: [], nextCursor: null })
    expect(other.headers['x-cache']).not.toBe('HIT')
    expect((await call(undefined, 'GET', '/api/vehicles')).statusCode).toBe(401)
  })

  it('lets every staff role read every vehicle and filter by owner', async () => {
    const a = await createVehicle(t.app.db, alice.id)
    const b = await createVehicle(t.app.db, bob.id)
    for (const user of [mechanic, advisor, admin]) {
      const all = (await call(user, 'GET', '/api/vehicles?limit=200')).json().items.map((v: { id: number }) => v.id)
      expect(all).toEqual(expect.arrayContaining([a.id, b.id]))
      const bobs = (await call(user, 'GET', `/api/vehicles?ownerId=${bob.id}&limit=200`)).json().items
      expect(bobs.map((v: { id: number }) => v.id)).toContain(b.id)
      expect(bobs.every((v: { ownerId: number }) => v.ownerId === bob.id)).toBe(true)
      expect((await call(user, 'GET', `/api/vehicles/${a.id}`)).statusCode).toBe(200)
    }
  })

  it('forbids a mechanic every write', async () => {
    const vehicle = await createVehicle(t.app.db, alice.id)
    expect((await call(mechanic, 'POST', '/api/vehicles', vehicleBody({ ownerId: alice.id }))).statusCode).toBe(403)
    expect((await call(mechanic, 'PATCH', `/api/vehicles/${vehicle.id}`, { color: 'Pink' })).statusCode).toBe(403)
    expect((await call(mechanic, 'DELETE', `/api/vehicles/${vehicle.id}`)).statusCode).toBe(403)
    expect(await rowOf(vehicle.id)).toEqual(vehicle)
  })

  it('lets a customer add a vehicle for themself only', async () => {
    const own = await call(alice, 'POST', '/api/vehicles', vehicleBody())
    expect(own.statusCode).toBe(201)
    expect(own.json().ownerId).toBe(alice.id)
    const named = await call(alice, 'POST', '/api/vehicles', vehicleBody({ ownerId: alice.id }))
    expect(named.json().ownerId).toBe(alice.id)
    const body = vehicleBody({ ownerId: bob.id })
    expect((await call(alice, 'POST', '/api/vehicles', body)).statusCode).toBe(403)
    expect(await t.app.db.select().from(vehicles).where(eq(vehicles.vin, body.vin as string))).toEqual([])
  })

  it('makes staff name an active customer as owner', async () => {
    for (const user of [advisor, admin]) {
      const ok = await call(user, 'POST', '/api/vehicles', vehicleBody({ ownerId: bob.id }))
      expect(ok.statusCode).toBe(201)
      expect(ok.json().ownerId).toBe(bob.id)
    }
    const inactive = await createUser(t.app.db)
    await t.app.db.update(users).set({ active: false }).where(eq(users.id, inactive.id))
    for (const ownerId of [undefined, mechanic.id, admin.id, inactive.id, 2_000_000_000]) {
      const res = await call(advisor, 'POST', '/api/vehicles', vehicleBody({ ownerId }))
      expect(res.statusCode, String(ownerId)).toBe(400)
      expect(errorFields(res)).toEqual(['body.ownerId'])
    }
  })

  it('lets the owner, an advisor and an admin change a vehicle', async () => {
    const vehicle = await createVehicle(t.app.db, alice.id)
    for (const [user, color] of [[alice, 'Red'], [advisor, 'Blue'], [admin, 'Gold']] as const) {
      const res = await call(user, 'PATCH', `/api/vehicles/${vehicle.id}`, { color })
      expect(res.statusCode).toBe(200)
      expect((await rowOf(vehicle.id))?.color).toBe(color)
    }
  })

  it('lets staff move a vehicle to another customer', async () => {
    const vehicle = await createVehicle(t.app.db, alice.id)
    const moved = await call(advisor, 'PATCH', `/api/vehicles/${vehicle.id}`, { ownerId: bob.id })
    expect(moved.statusCode).toBe(200)
    expect(moved.json().ownerId).toBe(bob.id)
    expect((await call(alice, 'GET', `/api/vehicles/${vehicle.id}`)).statusCode).toBe(404)
    expect((await call(bob, 'GET', `/api/vehicles/${vehicle.id}`)).json().ownerId).toBe(bob.id)
    const back = await call(admin, 'PATCH', `/api/vehicles/${vehicle.id}`, { ownerId: alice.id })
    expect(back.json().ownerId).toBe(alice.id)
    const toStaff = await call(admin, 'PATCH', `/api/vehicles/${vehicle.id}`, { ownerId: mechanic.id, color: 'Teal' })
    expect(toStaff.statusCode).toBe(400)
    expect(errorFields(toStaff)).toEqual(['body.ownerId'])
    expect((await rowOf(vehicle.id))?.ownerId).toBe(alice.id)
  })

  it('forbids a customer to move their vehicle (403), but keeping the same owner is fine', async () => {
    const vehicle = await createVehicle(t.app.db, alice.id)
    const res = await call(alice, 'PATCH', `/api/vehicles/${vehicle.id}`, { ownerId: bob.id, color: 'Pink' })
    expect(res.statusCode).toBe(403)
    expect(await rowOf(vehicle.id)).toEqual(vehicle)
    expect((await call(alice, 'PATCH', `/api/vehicles/${vehicle.id}`, { ownerId: alice.id })).statusCode).toBe(200)
  })

  it('lets the owner, an advisor and an admin delete a vehicle', async () => {
    for (const user of [alice, advisor, admin]) {
      const vehicle = await createVehicle(t.app.db, alice.id)
      expect((await call(user, 'DELETE', `/api/vehicles/${vehicle.id}`)).statusCode).toBe(204)
      expect(await rowOf(vehicle.id)).toBeUndefined()
    }
  })
})
