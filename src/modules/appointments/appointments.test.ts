import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, type TestApp } from '../../../test/support/app.ts'
import { castOf, type Cast } from '../../../test/support/actors.ts'
import { at, booking, createBay, daysAhead, useUtcShop } from '../../../test/support/factories/appointments.ts'
import { createUser } from '../../../test/support/factories/users.ts'
import { createVehicle } from '../../../test/support/factories/vehicles.ts'
import { caller, errorFields, problemOf } from '../../../test/support/http.ts'

/** Bookings: the rules (400), the bays the server picks, the database refusing overlaps (409), lists and reach. */
describe('appointments: booking', () => {
  let t: TestApp
  let call: ReturnType<typeof caller>
  let cast: Cast
  let vehicleA: number
  let vehicleB: number
  let bays: number[]

  const count = async () => Number(((await t.app.db.execute(sql`select count(*)::int as n from appointments`)) as unknown as { rows: { n: number }[] }).rows[0]!.n)

  beforeAll(async () => {
    t = await buildTestApp()
    call = caller(t.app)
    cast = await castOf(t.app.db)
    await useUtcShop(t.app, cast.admin)
    bays = [(await createBay(t.app.db)).id, (await createBay(t.app.db)).id]
    await createBay(t.app.db, { active: false })
    vehicleA = (await createVehicle(t.app.db, cast.customerA.id)).id
    vehicleB = (await createVehicle(t.app.db, cast.customerB.id)).id
  })
  afterAll(async () => t?.close())

  it('a customer books their vehicle: requested, a free bay picked, Location, audited', async () => {
    const res = await call(cast.customerA, 'POST', '/api/appointments', booking(vehicleA, 2, '09:00', '10:00', { serviceIds: [], requestedWork: ' Brakes squeak ' }))
    expect(res.statusCode).toBe(201)
    const body = res.json()
    expect(body).toMatchObject({ customerId: cast.customerA.id, vehicleId: vehicleA, status: 'requested', bayId: bays[0], mechanicId: null, requestedWork: 'Brakes squeak', workOrderId: null })
    expect(res.headers.location).toBe(`/api/appointments/${body.id}`)
    expect((await call(cast.customerA, 'GET', `/api/appointments/${body.id}`)).json()).toEqual(body)
    const audit = await call(cast.admin, 'GET', `/api/audit?entity=appointment&entityId=${body.id}`)
    expect(audit.json().items.map((e: { action: string }) => e.action)).toEqual(['appointment.created'])
  })

  const date = daysAhead(3)
  it.each([
    ['in the past', { startsAt: at(daysAhead(-1), '10:00'), endsAt: at(daysAhead(-1), '10:30') }, 'body.startsAt'],
    ['more than 90 days ahead', { startsAt: at(daysAhead(92), '10:00'), endsAt: at(daysAhead(92), '10:30') }, 'body.startsAt'],
    ['off a slot boundary', { startsAt: at(date, '10:10'), endsAt: at(date, '10:40') }, 'body.startsAt'],
    ['not whole slots', { startsAt: at(date, '10:00'), endsAt: at(date, '10:45') }, 'body.endsAt'],
    ['ending before it starts', { startsAt: at(date, '10:00'), endsAt: at(date, '09:30') }, 'body.endsAt'],
    ['zero length', { startsAt: at(date, '10:00'), endsAt: at(date, '10:00') }, 'body.endsAt'],
    ['before opening', { startsAt: at(date, '07:30'), endsAt: at(date, '08:30') }, 'body.startsAt'],
    ['past closing', { startsAt: at(date, '17:30'), endsAt: at(date, '18:30') }, 'body.endsAt'],
    ['seconds off the boundary', { startsAt: at(date, '10:00').replace(':00.000Z', ':01.000Z'), endsAt: at(date, '10:30').replace(':00.000Z', ':01.000Z') }, 'body.startsAt'],
    ['an inactive bay', { bayId: 2_000_000 }, 'body.bayId'],
    // The cast is made in beforeAll, after the rows are collected; ids are given out in no set order, so none is assumed.
    ['a mechanic who is not one', () => ({ mechanicId: cast.advisor.id }), 'body.mechanicId'],
    ['a mechanic who does not exist', { mechanicId: 2_000_000 }, 'body.mechanicId'],
    ['an unknown service', { serviceIds: [2_000_000] }, 'body.serviceIds'],
  ] as [string, Record<string, unknown> | (() => Record<string, unknown>), string][])('a booking %s is 400 on %s and changes nothing', async (_name, override, field) => {
    const before = await count()
    const res = await call(cast.advisor, 'POST', '/api/appointments', { ...booking(vehicleA, 3), ...(typeof override === 'function' ? override() : override) })
    expect(problemOf(res)).toEqual({ status: 400, code: 'ECAR_ERR_VALIDATION' })
    expect(errorFields(res)).toContain(field)
    expect(await count()).toBe(before)
  })

  it.each([
    ['another customer\'s vehicle', () => booking(vehicleB, 4), 400],
    ['a bay', () => booking(vehicleA, 4, '10:00', '10:30', { bayId: bays[0] }), 403],
    ['a mechanic', () => booking(vehicleA, 4, '10:00', '10:30', { mechanicId: cast.mechanic.id }), 403],
    ['status confirmed', () => booking(vehicleA, 4, '10:00', '10:30', { status: 'confirmed' }), 403],
  ])('a customer naming %s gets %d', async (_name, body, status) => {
    const before = await count()
    expect((await call(cast.customerA, 'POST', '/api/appointments', body())).statusCode).toBe(status)
    expect(await count()).toBe(before)
  })

  it('the last free bay goes once; then 409 slot-taken; a named held bay and a busy mechanic are 409 too', async () => {
    const day = 5
    const first = await call(cast.advisor, 'POST', '/api/appointments', booking(vehicleA, day, '11:00', '12:00', { mechanicId: cast.mechanic.id, status: 'confirmed' }))
    expect(first.json()).toMatchObject({ bayId: bays[0], status: 'confirmed', mechanicId: cast.mechanic.id })
    const second = await call(cast.customerB, 'POST', '/api/appointments', booking(vehicleB, day, '11:30', '12:30'))
    expect(second.json().bayId).toBe(bays[1])
    const before = await count()
    for (const body of [
      booking(vehicleA, day, '11:30', '12:00'),
      booking(vehicleA, day, '10:00', '12:00'),
      booking(vehicleA, day, '12:00', '12:30', { bayId: bays[1] }),
    ]) {
      expect(problemOf(await call(cast.advisor, 'POST', '/api/appointments', body))).toEqual({ status: 409, code: 'ECAR_ERR_SLOT_TAKEN' })
    }
    // Touching ends are no overlap ([startsAt, endsAt)).
    const after = await call(cast.advisor, 'POST', '/api/appointments', booking(vehicleA, day, '12:00', '12:30', { mechanicId: cast.mechanic.id }))
    expect(after.statusCode).toBe(201)
    // The mechanic is busy 11:00-12:00 whatever bay is free.
    const third = await createBay(t.app.db)
    expect(problemOf(await call(cast.advisor, 'POST', '/api/appointments', booking(vehicleA, day, '11:30', '12:00', { mechanicId: cast.mechanic.id })))).toEqual({ status: 409, code: 'ECAR_ERR_SLOT_TAKEN' })
    expect(await count()).toBe(before + 1)
    await t.app.db.execute(sql`update bays set active = false where id = ${third.id}`)
  })

  it('a cancelled appointment frees its bay', async () => {
    const day = 6
    const held = [await call(cast.advisor, 'POST', '/api/appointments', booking(vehicleA, day)), await call(cast.advisor, 'POST', '/api/appointments', booking(vehicleA, day))]
    expect(held.map((r) => r.statusCode)).toEqual([201, 201])
    expect((await call(cast.advisor, 'POST', '/api/appointments', booking(vehicleA, day))).statusCode).toBe(409)
    expect((await call(cast.customerA, 'POST', `/api/appointments/${held[1]!.json().id}/status`, { status: 'cancelled' })).statusCode).toBe(200)
    expect((await call(cast.customerB, 'POST', '/api/appointments', booking(vehicleB, day))).json().bayId).toBe(held[1]!.json().bayId)
  })

  it('availability: every slot of the day, free bays by the same rule; staff also get bay and mechanic ids', async () => {
    const day = 7
    const d = daysAhead(day)
    await call(cast.advisor, 'POST', '/api/appointments', booking(vehicleA, day, '08:00', '09:00', { mechanicId: cast.assignedMechanic.id }))
    const customer = await call(cast.customerB, 'GET', `/api/availability?date=${d}&durationMinutes=60`)
    expect(customer.statusCode).toBe(200)
    const body = customer.json()
    expect(body).toMatchObject({ date: d, timezone: 'UTC' })
    expect(body.slots).toHaveLength(19)
    expect(body.slots[0]).toEqual({ startsAt: at(d, '08:00'), endsAt: at(d, '09:00'), freeBays: 1 })
    expect(body.slots[1]).toEqual({ startsAt: at(d, '08:30'), endsAt: at(d, '09:30'), freeBays: 1 })
    expect(body.slots[2]).toEqual({ startsAt: at(d, '09:00'), endsAt: at(d, '10:00'), freeBays: 2 })
    expect(body.slots.at(-1).endsAt).toBe(at(d, '18:00'))
    const staff = (await call(cast.mechanic, 'GET', `/api/availability?date=${d}&durationMinutes=60`)).json()
    expect(staff.slots[0].bayIds).toEqual([bays[1]])
    expect(staff.slots[0].mechanicIds).toContain(cast.mechanic.id)
    expect(staff.slots[0].mechanicIds).not.toContain(cast.assignedMechanic.id)
    expect(staff.slots[2].mechanicIds).toContain(cast.assignedMechanic.id)
    expect(errorFields(await call(cast.customerA, 'GET', `/api/availability?date=${d}&durationMinutes=45`))).toEqual(['querystring.durationMinutes'])
    expect(errorFields(await call(cast.customerA, 'GET', '/api/availability?date=2026-02-30'))).toEqual(['querystring.date'])
  })

  it('lists: customers their own, mechanics theirs, the desk all; naming someone else is 403', async () => {
    const customer = await createUser(t.app.db)
    const vehicle = (await createVehicle(t.app.db, customer.id)).id
    const mine = (await call(cast.advisor, 'POST', '/api/appointments', booking(vehicle, 8, '14:00', '14:30', { mechanicId: cast.assignedMechanic.id }))).json()
    const ids = async (user: Parameters<typeof call>[0], query = '') => (await call(user, 'GET', `/api/appointments?limit=200${query}`)).json().items.map((a: { id: number }) => a.id)
    expect(await ids(customer)).toEqual([mine.id])
    expect(await ids(cast.assignedMechanic)).toContain(mine.id)
    expect(await ids(cast.mechanic)).not.toContain(mine.id)
    expect(await ids(cast.admin, `&customerId=${customer.id}`)).toEqual([mine.id])
    expect(await ids(cast.admin, `&from=${at(daysAhead(8), '14:29')}&to=${at(daysAhead(8), '14:31')}`)).toEqual([mine.id])
    expect(await ids(cast.admin, `&from=${at(daysAhead(8), '14:30')}&to=${at(daysAhead(8), '15:00')}`)).toEqual([])
    expect((await call(customer, 'GET', `/api/appointments?customerId=${cast.customerA.id}`)).statusCode).toBe(403)
    expect((await call(cast.mechanic, 'GET', `/api/appointments?mechanicId=${cast.assignedMechanic.id}`)).statusCode).toBe(403)
    expect((await call(cast.customerB, 'GET', `/api/appointments/${mine.id}`)).statusCode).toBe(404)
    expect((await call(cast.mechanic, 'GET', `/api/appointments/${mine.id}`)).statusCode).toBe(404)
    expect((await call(cast.assignedMechanic, 'GET', `/api/appointments/${mine.id}`)).statusCode).toBe(200)
  })

  it('PATCH reschedules (keeping the duration), moves bays, refuses overlaps with 409 and changes nothing', async () => {
    const day = 9
    const a = (await call(cast.advisor, 'POST', '/api/appointments', booking(vehicleA, day, '09:00', '10:00'))).json()
    const b = (await call(cast.advisor, 'POST', '/api/appointments', booking(vehicleA, day, '11:00', '12:00'))).json()
    const moved = await call(cast.advisor, 'PATCH', `/api/appointments/${a.id}`, { startsAt: at(daysAhead(day), '13:00') })
    expect(moved.json()).toMatchObject({ startsAt: at(daysAhead(day), '13:00'), endsAt: at(daysAhead(day), '14:00'), bayId: a.bayId })
    // b's bay is the same as a's: moving b onto a's time with its bay named is taken; unnamed, it moves to the other bay.
    expect(b.bayId).toBe(a.bayId)
    const taken = await call(cast.advisor, 'PATCH', `/api/appointments/${b.id}`, { startsAt: at(daysAhead(day), '13:30'), bayId: a.bayId })
    expect(problemOf(taken)).toEqual({ status: 409, code: 'ECAR_ERR_SLOT_TAKEN' })
    expect((await call(cast.advisor, 'GET', `/api/appointments/${b.id}`)).json()).toEqual(b)
    const other = await call(cast.admin, 'PATCH', `/api/appointments/${b.id}`, { startsAt: at(daysAhead(day), '13:30') })
    expect(other.json().bayId).not.toBe(a.bayId)
    expect(errorFields(await call(cast.admin, 'PATCH', `/api/appointments/${b.id}`, { startsAt: at(daysAhead(day), '13:40') }))).toEqual(['body.startsAt'])
    expect((await call(cast.customerA, 'PATCH', `/api/appointments/${b.id}`, { notes: 'x' })).statusCode).toBe(403)
    await call(cast.admin, 'POST', `/api/appointments/${b.id}/status`, { status: 'cancelled' })
    expect(problemOf(await call(cast.admin, 'PATCH', `/api/appointments/${b.id}`, { startsAt: at(daysAhead(day), '15:00') }))).toEqual({ status: 409, code: 'ECAR_ERR_APPOINTMENT_CLOSED' })
    expect((await call(cast.admin, 'PATCH', `/api/appointments/${b.id}`, { notes: 'Called back' })).json().notes).toBe('Called back')
  })

  it('a vehicle with appointments cannot be deleted (409), its bookings stay', async () => {
    const vehicle = (await createVehicle(t.app.db, cast.customerA.id)).id
    expect((await call(cast.customerA, 'POST', '/api/appointments', booking(vehicle, 11))).statusCode).toBe(201)
    expect(problemOf(await call(cast.customerA, 'DELETE', `/api/vehicles/${vehicle}`))).toEqual({ status: 409, code: 'ECAR_ERR_VEHICLE_IN_USE' })
    expect((await call(cast.customerA, 'GET', `/api/vehicles/${vehicle}`)).statusCode).toBe(200)
  })

  it('PostgreSQL itself refuses an overlap on a bay or a mechanic (on PGlite too)', async () => {
    const row = (await call(cast.advisor, 'POST', '/api/appointments', booking(vehicleA, 10, '09:00', '10:00', { mechanicId: cast.mechanic.id }))).json()
    const insert = (bayId: number, mechanicId: number | null, status = 'requested') =>
      t.app.db.execute(sql`insert into appointments (customer_id, vehicle_id, starts_at, ends_at, status, bay_id, mechanic_id)
        values (${cast.customerA.id}, ${vehicleA}, ${row.startsAt}::timestamptz + interval '30 minutes', ${row.endsAt}::timestamptz + interval '30 minutes', ${status}, ${bayId}, ${mechanicId})`)
    await expect(insert(row.bayId, null)).rejects.toMatchObject({ cause: expect.objectContaining({ code: '23P01' }) })
    const otherBay = bays.find((b) => b !== row.bayId)!
    await expect(insert(otherBay, cast.mechanic.id)).rejects.toMatchObject({ cause: expect.objectContaining({ code: '23P01' }) })
    // A cancelled row holds nothing.
    await insert(row.bayId, cast.mechanic.id, 'cancelled')
  })
})
