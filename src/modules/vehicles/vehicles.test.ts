import { count, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, type TestApp } from '../../../test/support/app.ts'
import { castOf } from '../../../test/support/actors.ts'
import { type TestUser } from '../../../test/support/factories/users.ts'
import { createVehicle, randomVin, vehicleBody } from '../../../test/support/factories/vehicles.ts'
import { caller, errorFields } from '../../../test/support/http.ts'
import { vehicles } from './vehicles.table.ts'
import { latestModelYear } from './vehicles.validation.ts'

describe('vehicles: CRUD, validation and write rules', () => {
  let t: TestApp
  let call: ReturnType<typeof caller>
  let owner: TestUser
  let advisor: TestUser
  let admin: TestUser

  const vehicleCount = async () => (await t.app.db.select({ n: count() }).from(vehicles))[0]!.n
  const rowOf = async (id: number) => (await t.app.db.select().from(vehicles).where(eq(vehicles.id, id)))[0]

  beforeAll(async () => {
    t = await buildTestApp()
    call = caller(t.app)
    ;({ customerA: owner, advisor, admin } = await castOf(t.app.db))
  })
  afterAll(async () => t?.close())

  it('creates, reads, updates and deletes a vehicle', async () => {
    const created = await call(owner, 'POST', '/api/vehicles', vehicleBody({ make: '  Toyota ', licensePlate: ' XY-1 ' }))
    expect(created.statusCode).toBe(201)
    const vehicle = created.json()
    expect(vehicle).toMatchObject({ ownerId: owner.id, make: 'Toyota', licensePlate: 'XY-1', model: 'Corolla', year: 2020, mileage: 10_000 })
    expect(Object.keys(vehicle).sort()).toEqual(
      ['color', 'createdAt', 'id', 'licensePlate', 'make', 'mileage', 'model', 'odometerUnit', 'ownerId', 'updatedAt', 'vin', 'year'].sort(),
    )
    expect(new Date(vehicle.createdAt).toISOString()).toBe(vehicle.createdAt)

    const read = await call(owner, 'GET', `/api/vehicles/${vehicle.id}`)
    expect(read.statusCode).toBe(200)
    expect(read.json()).toEqual(vehicle)

    const patched = await call(owner, 'PATCH', `/api/vehicles/${vehicle.id}`, { color: 'Green', mileage: 12_000 })
    expect(patched.statusCode).toBe(200)
    expect(patched.json()).toMatchObject({ id: vehicle.id, color: 'Green', mileage: 12_000, make: 'Toyota', vin: vehicle.vin })
    expect(Date.parse(patched.json().updatedAt)).toBeGreaterThanOrEqual(Date.parse(vehicle.updatedAt))
    expect((await rowOf(vehicle.id))?.color).toBe('Green')

    const deleted = await call(owner, 'DELETE', `/api/vehicles/${vehicle.id}`)
    expect(deleted.statusCode).toBe(204)
    expect(deleted.body).toBe('')
    expect(await rowOf(vehicle.id)).toBeUndefined()
    expect((await call(owner, 'GET', `/api/vehicles/${vehicle.id}`)).json()).toMatchObject({ status: 404, code: 'ECAR_ERR_VEHICLE_NOT_FOUND' })
    expect((await call(owner, 'DELETE', `/api/vehicles/${vehicle.id}`)).statusCode).toBe(404)
  })

  it('stores a lower-case VIN upper-case', async () => {
    const vin = randomVin()
    const res = await call(owner, 'POST', '/api/vehicles', vehicleBody({ vin: vin.toLowerCase() }))
    expect(res.statusCode).toBe(201)
    expect(res.json().vin).toBe(vin)
    expect((await rowOf(res.json().id))?.vin).toBe(vin)
    const patched = await call(owner, 'PATCH', `/api/vehicles/${res.json().id}`, { vin: 'abcdefghjklmnprst' })
    expect(patched.json().vin).toBe('ABCDEFGHJKLMNPRST')
  })

  it('lists every bad field of a body and stores nothing', async () => {
    const before = await vehicleCount()
    const res = await call(owner, 'POST', '/api/vehicles', {
      make: '',
      model: '   ',
      year: 1885,
      vin: 'SHORT',
      licensePlate: 'X'.repeat(17),
      mileage: -1,
      color: 7,
      id: 99,
      createdAt: '2024-01-01T00:00:00.000Z',
      updatedAt: '2024-01-01T00:00:00.000Z',
      wheels: 4,
    })
    expect(res.statusCode).toBe(400)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(res.json()).toMatchObject({ status: 400, code: 'ECAR_ERR_VALIDATION' })
    expect(errorFields(res)).toEqual(
      ['body.make', 'body.model', 'body.year', 'body.vin', 'body.licensePlate', 'body.mileage', 'body.color', 'body.id', 'body.createdAt', 'body.updatedAt', 'body.wheels'].sort(),
    )
    expect(await vehicleCount()).toBe(before)
  })

  it('lists missing fields', async () => {
    const res = await call(owner, 'POST', '/api/vehicles', { make: 'Ford' })
    expect(res.statusCode).toBe(400)
    expect(errorFields(res)).toEqual(['body.color', 'body.licensePlate', 'body.mileage', 'body.model', 'body.vin', 'body.year'])
  })

  it.each(['I', 'O', 'Q', 'i', 'o', 'q'])('refuses a VIN containing %s', async (letter) => {
    const res = await call(owner, 'POST', '/api/vehicles', vehicleBody({ vin: `${letter}${randomVin().slice(1)}` }))
    expect(res.statusCode).toBe(400)
    expect(errorFields(res)).toEqual(['body.vin'])
  })

  it('refuses VINs of the wrong length and with other characters', async () => {
    for (const vin of [randomVin().slice(1), `${randomVin()}A`, `${randomVin().slice(1)}-`, `${randomVin().slice(1)} `]) {
      const res = await call(owner, 'POST', '/api/vehicles', vehicleBody({ vin }))
      expect(res.statusCode, vin).toBe(400)
      expect(errorFields(res)).toEqual(['body.vin'])
    }
  })

  it('accepts years 1886 to next year and refuses the rest, listed with the other bad fields', async () => {
    const next = new Date().getUTCFullYear() + 1
    expect((await call(owner, 'POST', '/api/vehicles', vehicleBody({ year: 1886 }))).statusCode).toBe(201)
    expect((await call(owner, 'POST', '/api/vehicles', vehicleBody({ year: next }))).statusCode).toBe(201)
    for (const year of [1885, next + 1, 1e20, 2020.5, '2020', null]) {
      const res = await call(owner, 'POST', '/api/vehicles', vehicleBody({ year }))
      expect(res.statusCode, String(year)).toBe(400)
      expect(errorFields(res)).toEqual(['body.year'])
    }
    const both = await call(owner, 'POST', '/api/vehicles', vehicleBody({ year: next + 1, vin: 'bad', extra: true }))
    expect(errorFields(both)).toEqual(['body.extra', 'body.vin', 'body.year'])
    const { id } = (await call(owner, 'POST', '/api/vehicles', vehicleBody())).json()
    const patched = await call(owner, 'PATCH', `/api/vehicles/${id}`, { year: next + 1 })
    expect(patched.statusCode).toBe(400)
    expect(errorFields(patched)).toEqual(['body.year'])
  })

  it('moves the latest model year with the calendar (UTC)', () => {
    expect(latestModelYear(new Date('2025-12-31T23:59:59Z'))).toBe(2026)
    expect(latestModelYear(new Date('2026-01-01T00:00:00Z'))).toBe(2027)
  })

  it('accepts mileage 0 to 2,000,000 whole units only', async () => {
    expect((await call(owner, 'POST', '/api/vehicles', vehicleBody({ mileage: 0 }))).statusCode).toBe(201)
    expect((await call(owner, 'POST', '/api/vehicles', vehicleBody({ mileage: 2_000_000 }))).statusCode).toBe(201)
    for (const mileage of [-1, 2_000_001, 10.5, '100']) {
      const res = await call(owner, 'POST', '/api/vehicles', vehicleBody({ mileage }))
      expect(res.statusCode, String(mileage)).toBe(400)
      expect(errorFields(res)).toEqual(['body.mileage'])
    }
  })

  it('refuses read-only, unknown and empty PATCH bodies and changes nothing', async () => {
    const vehicle = await createVehicle(t.app.db, owner.id)
    for (const body of [{ id: 5 }, { createdAt: '2020-01-01T00:00:00Z' }, { updatedAt: '2020-01-01T00:00:00Z' }, { color: 'Red', sunroof: true }, {}]) {
      const res = await call(owner, 'PATCH', `/api/vehicles/${vehicle.id}`, body)
      expect(res.statusCode, JSON.stringify(body)).toBe(400)
    }
    const bad = await call(owner, 'PATCH', `/api/vehicles/${vehicle.id}`, { color: 'Red', make: '', mileage: -5 })
    expect(errorFields(bad)).toEqual(['body.make', 'body.mileage'])
    expect(await rowOf(vehicle.id)).toEqual(vehicle)
  })

  it('refuses malformed ids with 400', async () => {
    for (const id of ['abc', '0', '-1', '99999999999']) {
      expect((await call(owner, 'GET', `/api/vehicles/${id}`)).statusCode, id).toBe(400)
      expect((await call(owner, 'PATCH', `/api/vehicles/${id}`, { color: 'Red' })).statusCode, id).toBe(400)
      expect((await call(owner, 'DELETE', `/api/vehicles/${id}`)).statusCode, id).toBe(400)
    }
  })

  describe('mileage never goes down by an update, for anyone', () => {
    it('is 409 for the owner, an advisor and an admin, and nothing changes', async () => {
      const vehicle = await createVehicle(t.app.db, owner.id, { mileage: 50_000 })
      for (const user of [owner, advisor, admin]) {
        const res = await call(user, 'PATCH', `/api/vehicles/${vehicle.id}`, { mileage: 49_999, color: 'Black' })
        expect(res.statusCode).toBe(409)
        expect(res.json()).toMatchObject({ status: 409, code: 'ECAR_ERR_MILEAGE_DECREASE' })
        expect(res.json().detail).toContain(`/api/vehicles/${vehicle.id}/odometer`)
      }
      expect(await rowOf(vehicle.id)).toEqual(vehicle)
      const same = await call(owner, 'PATCH', `/api/vehicles/${vehicle.id}`, { mileage: 50_000 })
      expect(same.statusCode).toBe(200)
      const up = await call(advisor, 'PATCH', `/api/vehicles/${vehicle.id}`, { mileage: 50_001 })
      expect(up.json().mileage).toBe(50_001)
    })

    it('goes down by an odometer correction with a reason', async () => {
      const vehicle = await createVehicle(t.app.db, owner.id, { mileage: 50_000 })
      const res = await call(admin, 'POST', `/api/vehicles/${vehicle.id}/odometer`, { value: 5_000, correction: true, reason: 'cluster replaced' })
      expect(res.statusCode).toBe(201)
      expect((await call(admin, 'GET', `/api/vehicles/${vehicle.id}`)).json().mileage).toBe(5_000)
      expect((await rowOf(vehicle.id))?.mileage).toBe(5_000)
    })
  })

  describe('duplicate VIN', () => {
    it('is 409 on create, in any case, and stores nothing', async () => {
      const existing = await createVehicle(t.app.db, owner.id)
      const before = await vehicleCount()
      const res = await call(advisor, 'POST', '/api/vehicles', vehicleBody({ ownerId: owner.id, vin: existing.vin.toLowerCase() }))
      expect(res.statusCode).toBe(409)
      expect(res.json()).toMatchObject({ status: 409, code: 'ECAR_ERR_DUPLICATE_VIN' })
      expect(await vehicleCount()).toBe(before)
    })

    it('is 409 on update and changes nothing, not even the other fields', async () => {
      const first = await createVehicle(t.app.db, owner.id)
      const second = await createVehicle(t.app.db, owner.id)
      const res = await call(owner, 'PATCH', `/api/vehicles/${second.id}`, { vin: first.vin, color: 'Purple' })
      expect(res.statusCode).toBe(409)
      expect(res.json().code).toBe('ECAR_ERR_DUPLICATE_VIN')
      expect(await rowOf(second.id)).toEqual(second)
      // Its own VIN again is no conflict.
      expect((await call(owner, 'PATCH', `/api/vehicles/${second.id}`, { vin: second.vin })).statusCode).toBe(200)
    })
  })
})
