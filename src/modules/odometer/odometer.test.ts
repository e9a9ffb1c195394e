import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, type TestApp } from '../../../test/support/app.ts'
import { castOf, type Cast } from '../../../test/support/actors.ts'
import { readingsOf } from '../../../test/support/factories/odometer.ts'
import type { TestUser } from '../../../test/support/factories/users.ts'
import { createVehicle, vehicleBody } from '../../../test/support/factories/vehicles.ts'
import { caller, errorFields, problemOf } from '../../../test/support/http.ts'
import { auditLog } from '../audit/audit.table.ts'

interface Reading {
  id: number
  value: number
  unit: 'km' | 'mi'
  recordedAt: string
  source: string
  reason: string | null
}

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString()

describe('odometer readings', () => {
  let t: TestApp
  let call: ReturnType<typeof caller>
  let cast: Cast

  beforeAll(async () => {
    t = await buildTestApp()
    call = caller(t.app)
    cast = await castOf(t.app.db)
  })
  afterAll(async () => t?.close())

  /** A vehicle of customer A, created through the API (so its mileage is its first reading). */
  async function vehicleOfA(fields: Record<string, unknown> = {}) {
    const res = await call(cast.advisor, 'POST', '/api/vehicles', vehicleBody({ ownerId: cast.customerA.id, mileage: 10_000, ...fields }))
    expect(res.statusCode).toBe(201)
    return res.json() as { id: number; mileage: number; odometerUnit: 'km' | 'mi' }
  }
  const record = (user: TestUser, vehicleId: number, body: Record<string, unknown>) => call(user, 'POST', `/api/vehicles/${vehicleId}/odometer`, body)
  const list = async (user: TestUser, vehicleId: number, query = '') => {
    const res = await call(user, 'GET', `/api/vehicles/${vehicleId}/odometer${query}`)
    expect(res.statusCode).toBe(200)
    return res.json() as { items: Reading[]; nextCursor: string | null }
  }
  const mileageOf = async (vehicleId: number) => (await call(cast.advisor, 'GET', `/api/vehicles/${vehicleId}`)).json().mileage as number

  it('records the initial mileage of a new vehicle as its first reading, by whoever added it', async () => {
    const byStaff = await vehicleOfA({ mileage: 12_345 })
    expect((await list(cast.customerA, byStaff.id)).items).toEqual([
      { id: expect.any(Number), value: 12_345, unit: 'km', recordedAt: expect.any(String), source: 'staff', reason: null },
    ])
    const own = await call(cast.customerA, 'POST', '/api/vehicles', vehicleBody({ mileage: 7 }))
    expect((await list(cast.customerA, own.json().id)).items.map((r) => [r.value, r.source])).toEqual([[7, 'customer']])
  })

  it('lists readings newest first by recordedAt, in pages', async () => {
    const vehicle = await vehicleOfA({ mileage: 10_000 })
    // Older readings, entered out of order (from old invoices): each lies between its neighbours in time.
    for (const [value, days] of [[5_000, 1], [300, 30], [4_000, 2], [2_000, 10]] as const) {
      expect((await record(cast.advisor, vehicle.id, { value, recordedAt: daysAgo(days) })).statusCode, String(value)).toBe(201)
    }
    const all = await list(cast.customerA, vehicle.id)
    expect(all.items.map((r) => r.value)).toEqual([10_000, 5_000, 4_000, 2_000, 300])
    expect(await mileageOf(vehicle.id)).toBe(10_000)
    expect(all.nextCursor).toBeNull()
    const first = await list(cast.customerA, vehicle.id, '?limit=2')
    const second = await list(cast.customerA, vehicle.id, `?limit=2&cursor=${first.nextCursor}`)
    const third = await list(cast.customerA, vehicle.id, `?limit=2&cursor=${second.nextCursor}`)
    expect([...first.items, ...second.items, ...third.items]).toEqual(all.items)
    expect(third.nextCursor).toBeNull()
    for (const cursor of ['abc', 'eyJhdCI6MX0', `${first.nextCursor}x`]) {
      const res = await call(cast.customerA, 'GET', `/api/vehicles/${vehicle.id}/odometer?cursor=${cursor}`)
      expect(res.statusCode, cursor).toBe(400)
      expect(errorFields(res)).toEqual(['querystring.cursor'])
    }
  })

  it('refuses a reading below the latest (409) unless staff correct it with a reason; a customer may not correct (403)', async () => {
    const vehicle = await vehicleOfA({ mileage: 50_000 })
    for (const user of [cast.customerA, cast.mechanic, cast.advisor, cast.admin]) {
      expect(problemOf(await record(user, vehicle.id, { value: 49_999 }))).toEqual({ status: 409, code: 'ECAR_ERR_ODOMETER_DECREASE' })
    }
    expect(problemOf(await record(cast.customerA, vehicle.id, { value: 40_000, correction: true, reason: 'typo' }))).toEqual({
      status: 403,
      code: 'ECAR_ERR_CORRECTION_STAFF_ONLY',
    })
    const noReason = await record(cast.advisor, vehicle.id, { value: 40_000, correction: true })
    expect(noReason.statusCode).toBe(400)
    expect(errorFields(noReason)).toEqual(['body.reason'])
    expect(await mileageOf(vehicle.id)).toBe(50_000)
    expect((await readingsOf(t.app.db, vehicle.id)).length).toBe(1)

    const corrected = await record(cast.advisor, vehicle.id, { value: 40_000, correction: true, reason: '  the first reading was mistyped ' })
    expect(corrected.statusCode).toBe(201)
    expect(corrected.headers.location).toBe(`/api/vehicles/${vehicle.id}/odometer`)
    expect(corrected.json()).toMatchObject({ value: 40_000, unit: 'km', source: 'correction', reason: 'the first reading was mistyped' })
    expect(await mileageOf(vehicle.id)).toBe(40_000)
    // The same value again, or more, is an ordinary reading.
    expect((await record(cast.customerA, vehicle.id, { value: 40_000 })).json().source).toBe('customer')
    expect((await record(cast.mechanic, vehicle.id, { value: 40_100 })).json().source).toBe('staff')
    expect(await mileageOf(vehicle.id)).toBe(40_100)
  })

  it("is 404 for another customer's vehicle and for none, whatever the body", async () => {
    const vehicle = await vehicleOfA()
    for (const body of [{ value: 99_999 }, { value: 1, correction: true, reason: 'x' }]) {
      expect(problemOf(await record(cast.customerB, vehicle.id, body))).toEqual({ status: 404, code: 'ECAR_ERR_VEHICLE_NOT_FOUND' })
      expect(problemOf(await record(cast.admin, 2_000_000_000, body)).status).toBe(404)
    }
    expect((await call(cast.customerB, 'GET', `/api/vehicles/${vehicle.id}/odometer`)).statusCode).toBe(404)
    expect((await readingsOf(t.app.db, vehicle.id)).length).toBe(1)
  })

  it('converts between units: the vehicle shows its latest reading in its own unit, readings compare in km', async () => {
    const miles = await vehicleOfA({ mileage: 1_000, odometerUnit: 'mi' })
    expect(miles.odometerUnit).toBe('mi')
    expect((await list(cast.customerA, miles.id)).items[0]).toMatchObject({ value: 1_000, unit: 'mi' })
    // 1,000 mi = 1,609 km: 1,600 km is below it, 1,700 km above.
    expect(problemOf(await record(cast.customerA, miles.id, { value: 1_600, unit: 'km' })).status).toBe(409)
    expect((await record(cast.customerA, miles.id, { value: 1_700, unit: 'km' })).json()).toMatchObject({ value: 1_700, unit: 'km' })
    expect(await mileageOf(miles.id)).toBe(1_056) // 1,700 / 1.609344 = 1,056.3
    // Without a unit a reading is in the vehicle's.
    expect((await record(cast.customerA, miles.id, { value: 1_057 })).json().unit).toBe('mi')
    expect(await mileageOf(miles.id)).toBe(1_057)

    const km = await vehicleOfA({ mileage: 1_000 })
    expect(km.odometerUnit).toBe('km')
    expect((await record(cast.advisor, km.id, { value: 800, unit: 'mi' })).statusCode).toBe(201)
    expect(await mileageOf(km.id)).toBe(1_287) // 800 × 1.609344 = 1,287.48
    // A reading whose value is over the limit in the vehicle's unit is refused.
    const huge = await record(cast.advisor, km.id, { value: 2_000_000, unit: 'mi' })
    expect(huge.statusCode).toBe(400)
    expect(errorFields(huge)).toEqual(['body.value'])
  })

  it("defaults a new vehicle's unit to the shop's", async () => {
    expect((await call(cast.admin, 'PATCH', '/api/shop', { odometerUnit: 'mi' })).statusCode).toBe(200)
    try {
      expect((await vehicleOfA()).odometerUnit).toBe('mi')
      expect((await vehicleOfA({ odometerUnit: 'km' })).odometerUnit).toBe('km')
    } finally {
      expect((await call(cast.admin, 'PATCH', '/api/shop', { odometerUnit: 'km' })).statusCode).toBe(200)
    }
    expect((await vehicleOfA()).odometerUnit).toBe('km')
    const bad = await call(cast.advisor, 'POST', '/api/vehicles', vehicleBody({ ownerId: cast.customerA.id, odometerUnit: 'furlong' }))
    expect(errorFields(bad)).toEqual(['body.odometerUnit'])
  })

  it('keeps the mileage at the latest reading by recordedAt: a back-dated reading does not lower it', async () => {
    const vehicle = await vehicleOfA({ mileage: 30_000 })
    const old = await record(cast.customerA, vehicle.id, { value: 20_000, recordedAt: daysAgo(90) })
    expect(old.statusCode).toBe(201)
    expect(await mileageOf(vehicle.id)).toBe(30_000)
    // Between its neighbours in time only: below the one before it, or above the one after it, is 409.
    expect(problemOf(await record(cast.customerA, vehicle.id, { value: 19_000, recordedAt: daysAgo(60) })).status).toBe(409)
    expect(problemOf(await record(cast.customerA, vehicle.id, { value: 31_000, recordedAt: daysAgo(30) })).status).toBe(409)
    expect((await record(cast.customerA, vehicle.id, { value: 25_000, recordedAt: daysAgo(30) })).statusCode).toBe(201)
    // A back-dated correction is recorded but the latest reading still rules.
    expect((await record(cast.advisor, vehicle.id, { value: 1, correction: true, reason: 'old invoice', recordedAt: daysAgo(10) })).statusCode).toBe(201)
    expect(await mileageOf(vehicle.id)).toBe(30_000)
    expect((await list(cast.customerA, vehicle.id)).items.map((r) => r.value)).toEqual([30_000, 1, 25_000, 20_000])
    const leap = await record(cast.customerA, vehicle.id, { value: 40_000, recordedAt: '2016-12-31T23:59:60Z' })
    expect(errorFields(leap)).toEqual(['body.recordedAt'])
    const future = await record(cast.customerA, vehicle.id, { value: 40_000, recordedAt: new Date(Date.now() + 3_600_000).toISOString() })
    expect(errorFields(future)).toEqual(['body.recordedAt'])
  })

  it('records every raise of the mileage by PATCH as a reading; a lowering is 409 for everyone and records nothing', async () => {
    const vehicle = await vehicleOfA({ mileage: 1_000 })
    expect((await call(cast.customerA, 'PATCH', `/api/vehicles/${vehicle.id}`, { mileage: 2_000 })).statusCode).toBe(200)
    expect((await call(cast.advisor, 'PATCH', `/api/vehicles/${vehicle.id}`, { mileage: 3_000 })).statusCode).toBe(200)
    // No change of the mileage, no reading.
    expect((await call(cast.customerA, 'PATCH', `/api/vehicles/${vehicle.id}`, { mileage: 3_000, color: 'Teal' })).statusCode).toBe(200)
    for (const user of [cast.advisor, cast.admin]) {
      expect(problemOf(await call(user, 'PATCH', `/api/vehicles/${vehicle.id}`, { mileage: 2_500 }))).toEqual({ status: 409, code: 'ECAR_ERR_MILEAGE_DECREASE' })
    }
    expect(await mileageOf(vehicle.id)).toBe(3_000)
    const items = (await list(cast.customerA, vehicle.id)).items
    expect(items.map((r) => [r.value, r.source])).toEqual([
      [3_000, 'staff'],
      [2_000, 'customer'],
      [1_000, 'staff'],
    ])
  })

  it('audits every reading in its own transaction, corrections as such', async () => {
    const vehicle = await vehicleOfA({ mileage: 500 })
    const reading = (await record(cast.mechanic, vehicle.id, { value: 600 })).json() as Reading
    const correction = (await record(cast.admin, vehicle.id, { value: 550, correction: true, reason: 'swapped cluster' })).json() as Reading
    const entry = async (id: number) =>
      (await t.app.db.select().from(auditLog).where(and(eq(auditLog.entity, 'odometer_reading'), eq(auditLog.entityId, id))))[0]
    expect(await entry(reading.id)).toMatchObject({
      actorId: cast.mechanic.id,
      action: 'odometer.reading',
      changes: { vehicleId: [null, vehicle.id], value: [null, 600], unit: [null, 'km'], source: [null, 'staff'], mileage: [500, 600] },
    })
    expect(await entry(correction.id)).toMatchObject({
      actorId: cast.admin.id,
      action: 'odometer.correction',
      changes: { value: [null, 550], source: [null, 'correction'], reason: [null, 'swapped cluster'], mileage: [600, 550] },
    })
    // A refused reading leaves no audit row (nor a reading).
    const before = (await t.app.db.select().from(auditLog)).length
    expect((await record(cast.customerA, vehicle.id, { value: 1 })).statusCode).toBe(409)
    expect((await t.app.db.select().from(auditLog)).length).toBe(before)
  })

  it('applies concurrent readings of one vehicle one after the other', async () => {
    const vehicle = await vehicleOfA({ mileage: 0 })
    const values = [7, 3, 9, 1, 8, 2, 10, 5, 6, 4].map((v) => v * 1_000)
    const answers = await Promise.all(values.map((value, i) => record(i % 2 ? cast.customerA : cast.advisor, vehicle.id, { value })))
    for (const res of answers) expect([201, 409]).toContain(res.statusCode)
    const accepted = answers.filter((res) => res.statusCode === 201).map((res) => (res.json() as Reading).value)
    // Each accepted reading was checked against the one committed before it: in time order they never go down.
    const stored = (await readingsOf(t.app.db, vehicle.id)).reverse().map((r) => r.value)
    expect(stored).toEqual([...stored].sort((a, b) => a - b))
    expect(stored.slice(1).sort((a, b) => a - b)).toEqual([...accepted].sort((a, b) => a - b))
    expect(await mileageOf(vehicle.id)).toBe(Math.max(...accepted))
  })

  it('treats a vehicle from before readings (none stored) as reading its mileage', async () => {
    const legacy = await createVehicle(t.app.db, cast.customerA.id, { mileage: 42_000 })
    expect((await list(cast.customerA, legacy.id)).items).toEqual([])
    expect(problemOf(await record(cast.customerA, legacy.id, { value: 41_000 })).status).toBe(409)
    expect((await record(cast.customerA, legacy.id, { value: 43_000 })).statusCode).toBe(201)
    expect(await mileageOf(legacy.id)).toBe(43_000)
  })

  it.each([
    ['customerA', 403],
    ['customerB', 404],
    ['mechanic', 201],
    ['assignedMechanic', 201],
    ['advisor', 201],
    ['admin', 201],
  ] as const)('a correction by %s is %i', async (member, status) => {
    const vehicle = await vehicleOfA({ mileage: 9_000 })
    const res = await record(cast[member], vehicle.id, { value: 8_000, correction: true, reason: 'cluster replaced' })
    expect(res.statusCode).toBe(status)
    expect(await mileageOf(vehicle.id)).toBe(status === 201 ? 8_000 : 9_000)
  })

  it('caches the list per user and shows a new reading at once', async () => {
    const vehicle = await vehicleOfA({ mileage: 1 })
    for (const user of [cast.customerA, cast.advisor]) {
      await call(user, 'GET', `/api/vehicles/${vehicle.id}/odometer`)
      const warm = await call(user, 'GET', `/api/vehicles/${vehicle.id}/odometer`)
      expect(warm.headers['x-cache']).toBe('HIT')
      expect(warm.headers['cache-control']).toMatch(/private/)
    }
    expect((await record(cast.customerA, vehicle.id, { value: 2 })).statusCode).toBe(201)
    for (const user of [cast.customerA, cast.advisor]) {
      const fresh = await call(user, 'GET', `/api/vehicles/${vehicle.id}/odometer`)
      expect(fresh.headers['x-cache']).toBe('MISS')
      expect((fresh.json() as { items: Reading[] }).items.map((r) => r.value)).toEqual([2, 1])
    }
    // Moving the vehicle to another customer makes the old owner's cached list a 404.
    expect((await call(cast.advisor, 'PATCH', `/api/vehicles/${vehicle.id}`, { ownerId: cast.customerB.id })).statusCode).toBe(200)
    expect((await call(cast.customerA, 'GET', `/api/vehicles/${vehicle.id}/odometer`)).statusCode).toBe(404)
    expect((await list(cast.customerB, vehicle.id)).items.map((r) => r.value)).toEqual([2, 1])
  })

  it('refuses unknown and read-only fields and a bad unit', async () => {
    const vehicle = await vehicleOfA()
    for (const body of [{ value: 20_000, id: 1 }, { value: 20_000, source: 'check_in' }, { value: 20_000, unit: 'leagues' }, { value: -1 }, { value: 1.5 }, {}]) {
      expect((await record(cast.advisor, vehicle.id, body)).statusCode, JSON.stringify(body)).toBe(400)
    }
  })
})
