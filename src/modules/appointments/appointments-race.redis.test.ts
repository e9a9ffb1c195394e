import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTwoInstances, testDbKind, type TwoInstances } from '../../../test/support/app.ts'
import { castOf, type Cast } from '../../../test/support/actors.ts'
import { booking, createBay, useUtcShop } from '../../../test/support/factories/appointments.ts'
import { createUser, type TestUser } from '../../../test/support/factories/users.ts'
import { createVehicle } from '../../../test/support/factories/vehicles.ts'
import { problemOf } from '../../../test/support/http.ts'

/**
 * The database is the judge of overlaps: 20 bookings racing through the HTTP API of two instances
 * for the last free bay (or one mechanic) give exactly one 201 and 19 × 409 slot-taken.
 */
describe.skipIf(testDbKind() !== 'postgres')('appointments: racing for the last bay across two instances', () => {
  let both: TwoInstances
  let cast: Cast
  let customers: { user: TestUser; vehicleId: number }[]

  beforeAll(async () => {
    both = await buildTwoInstances()
    const db = both.a.app.db
    cast = await castOf(db)
    await useUtcShop(both.a.app, cast.admin)
    await createBay(db)
    await createBay(db)
    customers = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const user = await createUser(db)
        return { user, vehicleId: (await createVehicle(db, user.id)).id }
      }),
    )
  })
  afterAll(async () => both?.close())

  const held = async (date: string) =>
    ((await both.a.app.db.execute(sql`select count(*)::int as n from appointments where starts_at::date = ${date}::date and status <> 'cancelled'`)) as unknown as { rows: { n: number }[] }).rows[0]!.n

  it('20 customers, one free bay: exactly one 201, 19 × 409 slot-taken', async () => {
    const day = 3
    const first = await both.a.app.inject({ method: 'POST', url: '/api/appointments', headers: cast.advisor.auth, payload: booking(customers[0]!.vehicleId, day) })
    expect(first.statusCode).toBe(201)
    const answers = await Promise.all(
      customers.map(({ user, vehicleId }, i) =>
        (i % 2 === 0 ? both.a : both.b).app.inject({ method: 'POST', url: '/api/appointments', headers: user.auth, payload: booking(vehicleId, day) }),
      ),
    )
    const statuses = answers.map((res) => problemOf(res).status)
    expect(statuses.filter((s) => s === 201)).toHaveLength(1)
    expect(answers.filter((res) => res.statusCode === 409).map((res) => problemOf(res).code)).toEqual(Array(19).fill('ECAR_ERR_SLOT_TAKEN'))
    expect(await held(booking(0, day).startsAt.slice(0, 10))).toBe(2)
  })

  it('20 bookings naming one mechanic with bays to spare: exactly one 201, 19 × 409', async () => {
    const day = 4
    const extra = await Promise.all(Array.from({ length: 20 }, () => createBay(both.a.app.db)))
    const answers = await Promise.all(
      customers.map(({ vehicleId }, i) =>
        (i % 2 === 0 ? both.a : both.b).app.inject({
          method: 'POST',
          url: '/api/appointments',
          headers: (i % 2 === 0 ? cast.advisor : cast.admin).auth,
          payload: booking(vehicleId, day, '10:00', '11:00', { mechanicId: cast.mechanic.id }),
        }),
      ),
    )
    expect(answers.filter((res) => res.statusCode === 201)).toHaveLength(1)
    expect(answers.filter((res) => res.statusCode === 409).map((res) => problemOf(res).code)).toEqual(Array(19).fill('ECAR_ERR_SLOT_TAKEN'))
    expect(await held(booking(0, day).startsAt.slice(0, 10))).toBe(1)
    await both.a.app.db.execute(sql`update bays set active = false where id in ${sql.raw(`(${extra.map((b) => b.id).join(',')})`)}`)
  })

  it('one Idempotency-Key sent 10 times at once on two instances books once; each answer is that booking', async () => {
    const { user, vehicleId } = customers[5]!
    const payload = booking(vehicleId, 6, '14:00', '14:30')
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        (i % 2 === 0 ? both.a : both.b).app.inject({ method: 'POST', url: '/api/appointments', headers: { ...user.auth, 'idempotency-key': 'race-key-1' }, payload }),
      ),
    )
    expect(answers.map((res) => res.statusCode)).toEqual(Array(10).fill(201))
    expect(new Set(answers.map((res) => res.json().id)).size).toBe(1)
    expect(new Set(answers.map((res) => res.headers.location)).size).toBe(1)
    expect(await held(payload.startsAt.slice(0, 10))).toBe(1)
  })
})
