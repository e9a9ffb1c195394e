import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, type TestApp } from '../../../test/support/app.ts'
import { castOf } from '../../../test/support/actors.ts'
import { booking, createBay, useUtcShop } from '../../../test/support/factories/appointments.ts'
import { createVehicle } from '../../../test/support/factories/vehicles.ts'
import { caller, problemOf } from '../../../test/support/http.ts'

/**
 * A car's whole visit through the public API: booked by the customer, confirmed and checked in by the
 * desk, an estimate sent, one job approved on the portal, one through the share link and one declined
 * on the phone, the work done and clocked by the assigned mechanic, the order completed.
 */
describe('the workshop, end to end: book → confirm → check in → estimate → decisions → work → completed', () => {
  let t: TestApp
  let call: ReturnType<typeof caller>
  let cast: Awaited<ReturnType<typeof castOf>>
  beforeAll(async () => {
    t = await buildTestApp()
    call = caller(t.app)
    cast = await castOf(t.app.db)
    await useUtcShop(t.app, cast.admin)
    await createBay(t.app.db)
  })
  afterAll(async () => t?.close())

  it('takes a car from booking to a completed work order, with every decision recorded', async () => {
    const vehicle = await createVehicle(t.app.db, cast.customerA.id, { mileage: 30_000 })
    const booked = await call(cast.customerA, 'POST', '/api/appointments', booking(vehicle.id, 2, '09:00', '10:00', { requestedWork: 'Brakes squeal' }))
    expect(booked.json()).toMatchObject({ status: 'requested' })
    const appointment = `/api/appointments/${booked.json().id}`
    expect((await call(cast.advisor, 'PATCH', appointment, { mechanicId: cast.assignedMechanic.id })).statusCode).toBe(200)
    expect((await call(cast.advisor, 'POST', `${appointment}/status`, { status: 'confirmed' })).json()).toMatchObject({ status: 'confirmed' })
    const checkedIn = await call(cast.advisor, 'POST', `${appointment}/status`, { status: 'checked_in', odometer: 30_480 })
    expect(checkedIn.json()).toMatchObject({ status: 'checked_in' })
    const wo = `/api/work-orders/${checkedIn.json().workOrderId}`
    expect((await call(cast.customerA, 'GET', wo)).json()).toMatchObject({ status: 'draft', odometerIn: 30_480, concerns: ['Brakes squeal'], estimate: null })

    // The desk writes three jobs; the mechanic's own finding would come without prices.
    const job = async (title: string, line: Record<string, unknown>) => {
      const created = await call(cast.advisor, 'POST', `${wo}/jobs`, { title })
      expect(created.statusCode).toBe(201)
      expect((await call(cast.advisor, 'POST', `${wo}/jobs/${created.json().id}/lines`, line)).statusCode).toBe(201)
      return created.json().id as number
    }
    const pads = await job('Front brake pads', { kind: 'labour', description: 'Fit pads', quantity: 1.5 })
    const discs = await job('Front brake discs', { kind: 'part', description: 'Disc pair', quantity: 1, unitPriceCents: 8_900 })
    const wipers = await job('Wiper blades', { kind: 'part', description: 'Blade pair', quantity: 1, unitPriceCents: 2_400 })

    const estimate = await call(cast.advisor, 'POST', `${wo}/estimates`)
    expect(estimate.statusCode).toBe(201)
    const { hash, version, shareUrl } = estimate.json() as { hash: string; version: number; shareUrl: string }
    expect(version).toBe(1)
    expect((await call(cast.customerA, 'GET', wo)).json()).toMatchObject({ status: 'awaiting_approval', estimate: { version: 1, hash } })

    // A stale hash records nothing.
    const stale = await call(cast.customerA, 'POST', `${wo}/decisions`, { estimateHash: '0'.repeat(64), decisions: [{ jobId: pads, decision: 'approved' }] })
    expect(problemOf(stale)).toEqual({ status: 409, code: 'ECAR_ERR_ESTIMATE_CHANGED' })
    expect((await call(cast.customerA, 'GET', `${wo}/approvals`)).json().items).toEqual([])

    expect((await call(cast.customerA, 'POST', `${wo}/decisions`, { estimateHash: hash, decisions: [{ jobId: pads, decision: 'approved' }] })).statusCode).toBe(201)
    const link = `/api/estimates/${shareUrl.split('#token=')[1]}`
    expect((await call(undefined, 'GET', link)).statusCode).toBe(200)
    expect((await call(undefined, 'POST', `${link}/decisions`, { estimateHash: hash, name: 'A. Customer', decisions: [{ jobId: discs, decision: 'approved' }] })).statusCode).toBe(201)
    const phone = await call(cast.advisor, 'POST', `${wo}/decisions`, { estimateHash: hash, method: 'phone', decisions: [{ jobId: wipers, decision: 'declined' }] })
    expect(phone.statusCode).toBe(201)
    const approvals = (await call(cast.customerA, 'GET', `${wo}/approvals`)).json().items as { jobId: number; decision: string; method: string }[]
    expect(approvals.map((a) => [a.jobId, a.decision, a.method]).sort()).toEqual(
      [[pads, 'approved', 'portal'], [discs, 'approved', 'share_link'], [wipers, 'declined', 'phone']].sort(),
    )
    expect((await call(cast.customerA, 'GET', wo)).json()).toMatchObject({ status: 'approved' })
    // A decided job's lines no longer change.
    expect((await call(cast.advisor, 'POST', `${wo}/jobs/${pads}/lines`, { kind: 'fee', description: 'Late', quantity: 1, unitPriceCents: 100 })).statusCode).toBe(409)

    // The assigned mechanic works it; another mechanic cannot see it.
    expect((await call(cast.mechanic, 'GET', wo)).statusCode).toBe(404)
    expect((await call(cast.assignedMechanic, 'POST', `${wo}/status`, { status: 'in_progress' })).statusCode).toBe(200)
    expect((await call(cast.assignedMechanic, 'POST', `${wo}/jobs/${pads}/clock`, { action: 'start' })).statusCode).toBe(200)
    expect((await call(cast.assignedMechanic, 'POST', `${wo}/jobs/${pads}/clock`, { action: 'stop' })).statusCode).toBe(200)
    const early = await call(cast.assignedMechanic, 'POST', `${wo}/status`, { status: 'completed', odometerOut: 30_490 })
    expect(problemOf(early)).toEqual({ status: 409, code: 'ECAR_ERR_JOBS_NOT_COMPLETED' })
    for (const id of [pads, discs]) {
      expect((await call(cast.assignedMechanic, 'PATCH', `${wo}/jobs/${id}`, { cause: 'Worn', correction: 'Replaced', completed: true })).statusCode).toBe(200)
    }
    const done = await call(cast.assignedMechanic, 'POST', `${wo}/status`, { status: 'completed', odometerOut: 30_490 })
    expect(done.statusCode).toBe(200)
    const final = (await call(cast.customerA, 'GET', wo)).json()
    expect(final).toMatchObject({ status: 'completed', odometerOut: 30_490 })
    // Totals cover the jobs not declined: the pads' labour and the discs, not the wipers.
    expect(final.totals.partsCents).toBe(8_900)
    expect(final.totals.labourCents).toBeGreaterThan(0)
    expect(final.jobs.find((j: { id: number }) => j.id === pads).timeEntries).toHaveLength(1)
  })
})
