import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, type TestApp } from '../../../test/support/app.ts'
import { castOf, type Cast } from '../../../test/support/actors.ts'
import { booking, createBay, useUtcShop } from '../../../test/support/factories/appointments.ts'
import { createVehicle } from '../../../test/support/factories/vehicles.ts'
import { caller, errorFields, problemOf } from '../../../test/support/http.ts'
import { APPOINTMENT_STATUSES, appointmentMachine, type AppointmentStatus } from './appointment.machine.ts'
import type { CheckInContext } from './check-in.ts'

/** Status changes: every move the machine refuses is 409 with `allowed` and changes nothing; check-in through the port. */
describe('appointments: status', () => {
  let t: TestApp
  let call: ReturnType<typeof caller>
  let cast: Cast
  let vehicleA: number
  let day = 1

  beforeAll(async () => {
    // No flows: these tests drive the check-in port with handlers of their own (the real one: src/flows/check-in).
    t = await buildTestApp({ flows: [] })
    call = caller(t.app)
    cast = await castOf(t.app.db)
    await useUtcShop(t.app, cast.admin)
    await createBay(t.app.db)
    vehicleA = (await createVehicle(t.app.db, cast.customerA.id)).id
  })
  afterAll(async () => t?.close())

  /** A fresh appointment of customer A moved to `status` directly (past ones start in the past). */
  async function appointmentIn(status: AppointmentStatus, startedAlready = false): Promise<number> {
    const res = await call(cast.advisor, 'POST', '/api/appointments', booking(vehicleA, day++ % 80 + 1))
    expect(res.statusCode).toBe(201)
    const id = res.json().id as number
    await t.app.db.execute(sql`update appointments set status = ${status} where id = ${id}`)
    if (startedAlready) await t.app.db.execute(sql`update appointments set starts_at = now() - interval '1 hour', ends_at = now() - interval '30 minutes' where id = ${id}`)
    return id
  }
  const snapshot = async (id: number) => JSON.stringify((await t.app.db.execute(sql`select a.*, (select count(*) from audit_log where entity = 'appointment' and entity_id = ${id}) as audits from appointments a where id = ${id}`)) as unknown)

  const who = { owner: 'customerA', advisor: 'advisor', admin: 'admin' } as const
  const bodyFor = (to: AppointmentStatus) => (to === 'checked_in' ? { status: to, odometer: 1234 } : { status: to })
  const cases = APPOINTMENT_STATUSES.flatMap((from) =>
    APPOINTMENT_STATUSES.filter((to) => to !== 'requested').flatMap((to) =>
      (['owner', 'advisor', 'admin'] as const).filter((actor) => !appointmentMachine.can(from, to, actor)).map((actor) => ({ from, to, actor })),
    ),
  )

  it.each(cases)('$from → $to by $actor is 409 with allowed, nothing changed', async ({ from, to, actor }) => {
    const id = await appointmentIn(from)
    const before = await snapshot(id)
    const res = await call(cast[who[actor]], 'POST', `/api/appointments/${id}/status`, bodyFor(to))
    expect(problemOf(res)).toEqual({ status: 409, code: 'ECAR_ERR_ILLEGAL_TRANSITION' })
    expect(res.json().allowed).toEqual(appointmentMachine.allowedFrom(from, actor, (r) => r !== 'afterStart'))
    expect(await snapshot(id)).toBe(before)
  })

  it('no-show waits for the start: before it 409 (allowed without no_show), after it 200', async () => {
    const early = await appointmentIn('confirmed')
    const res = await call(cast.advisor, 'POST', `/api/appointments/${early}/status`, { status: 'no_show' })
    expect(problemOf(res)).toEqual({ status: 409, code: 'ECAR_ERR_ILLEGAL_TRANSITION' })
    expect(res.json().allowed).toEqual(['checked_in', 'cancelled'])
    const late = await appointmentIn('confirmed', true)
    expect((await call(cast.advisor, 'POST', `/api/appointments/${late}/status`, { status: 'no_show' })).json().status).toBe('no_show')
  })

  it('the owner cancels; confirming is the desk\'s; another customer gets 404, a mechanic 403; audited', async () => {
    const id = await appointmentIn('requested')
    expect((await call(cast.customerB, 'POST', `/api/appointments/${id}/status`, { status: 'cancelled' })).statusCode).toBe(404)
    expect((await call(cast.assignedMechanic, 'POST', `/api/appointments/${id}/status`, { status: 'cancelled' })).statusCode).toBe(403)
    expect((await call(cast.advisor, 'POST', `/api/appointments/${id}/status`, { status: 'confirmed' })).json().status).toBe('confirmed')
    expect((await call(cast.customerA, 'POST', `/api/appointments/${id}/status`, { status: 'cancelled' })).json().status).toBe('cancelled')
    const audit = (await call(cast.admin, 'GET', `/api/audit?entity=appointment&entityId=${id}`)).json().items
    expect(audit.map((e: { action: string }) => e.action)).toEqual(['appointment.cancelled', 'appointment.confirmed', 'appointment.created'])
    expect(audit[0].changes.status).toEqual(['confirmed', 'cancelled'])
  })

  it('odometer is for check-in only, and check-in needs it (400, nothing changed)', async () => {
    const id = await appointmentIn('confirmed')
    const before = await snapshot(id)
    expect(errorFields(await call(cast.advisor, 'POST', `/api/appointments/${id}/status`, { status: 'checked_in' }))).toEqual(['body.odometer'])
    expect(errorFields(await call(cast.advisor, 'POST', `/api/appointments/${id}/status`, { status: 'cancelled', odometer: 5 }))).toEqual(['body.odometer'])
    expect(await snapshot(id)).toBe(before)
  })

  it('check-in: 503 without a handler; with one, it runs in the transaction and the answer carries workOrderId', async () => {
    const id = await appointmentIn('confirmed')
    const before = await snapshot(id)
    const none = await call(cast.advisor, 'POST', `/api/appointments/${id}/status`, { status: 'checked_in', odometer: 50_000 })
    expect(problemOf(none)).toEqual({ status: 503, code: 'ECAR_ERR_CHECK_IN_UNAVAILABLE' })
    expect(await snapshot(id)).toBe(before)

    const seen: CheckInContext[] = []
    let refuse = false
    t.app.appointmentCheckIn.register(async (tx, _touch, context) => {
      seen.push(context)
      // Written in the status change's transaction: rolled back with it.
      await tx.execute(sql`insert into audit_log (actor_id, action, entity, entity_id, changes) values (${context.actor.userId}, 'test.check_in', 'appointment', ${context.appointment.id}, '{}'::jsonb)`)
      if (refuse) throw new Error('the work-order flow refused')
      return { workOrderId: 777 }
    })
    expect(() => t.app.appointmentCheckIn.register(async () => ({ workOrderId: 1 }))).toThrow()

    refuse = true
    expect((await call(cast.advisor, 'POST', `/api/appointments/${id}/status`, { status: 'checked_in', odometer: 50_000 })).statusCode).toBe(500)
    expect(await snapshot(id)).toBe(before)

    refuse = false
    const res = await call(cast.advisor, 'POST', `/api/appointments/${id}/status`, { status: 'checked_in', odometer: 50_000, odometerUnit: 'mi' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ id, status: 'checked_in', workOrderId: 777 })
    expect(seen.at(-1)).toMatchObject({ appointment: { id, status: 'confirmed' }, actor: { userId: cast.advisor.id }, odometer: 50_000, odometerUnit: 'mi' })
    expect((await call(cast.customerA, 'GET', `/api/appointments/${id}`)).json().workOrderId).toBe(777)
  })
})
