import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../test/support/app.ts'
import { createBay } from '../../../test/support/factories/appointments.ts'
import { createUser } from '../../../test/support/factories/users.ts'
import { createVehicle } from '../../../test/support/factories/vehicles.ts'
import { APPOINTMENT_STATUSES } from './appointment.machine.ts'
import { seedAppointments } from './appointments.seed.ts'

describe('seedAppointments', () => {
  let testDb: TestDatabase
  beforeAll(async () => {
    testDb = await createTestDatabase()
  })
  afterAll(async () => testDb?.drop())

  it('books the coming week in every status, without an overlap the constraints would refuse', async () => {
    const db = testDb.database.db
    const customers = [await createUser(db), await createUser(db)]
    const vehicles = await Promise.all(customers.map(async (c) => ({ id: (await createVehicle(db, c.id)).id, ownerId: c.id })))
    const bays = [await createBay(db), await createBay(db)]
    const mechanics = [await createUser(db, { role: 'mechanic' })]
    const now = new Date()
    const rows = await testDb.database.transaction((tx) => seedAppointments(tx, { customers, vehicles, bays, mechanics, now }))
    expect(new Set(rows.map((r) => r.status))).toEqual(new Set(APPOINTMENT_STATUSES))
    expect(rows.every((r) => r.startsAt.getTime() < now.getTime() + 8 * 86_400_000)).toBe(true)
    expect(rows.every((r) => vehicles.some((v) => v.id === r.vehicleId && v.ownerId === r.customerId))).toBe(true)
  })
})
