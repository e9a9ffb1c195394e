import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, type TestApp } from '../../../test/support/app.ts'
import { castOf, type Cast } from '../../../test/support/actors.ts'
import { createVehicle } from '../../../test/support/factories/vehicles.ts'
import { addPricedJob, createService, decide, openOrder } from '../../../test/support/factories/work-orders.ts'
import { caller, problemOf } from '../../../test/support/http.ts'

describe('work orders: the whole flow', () => {
  let t: TestApp
  let call: ReturnType<typeof caller>
  let cast: Cast
  let vehicleId: number

  beforeAll(async () => {
    t = await buildTestApp()
    call = caller(t.app)
    cast = await castOf(t.app.db)
    vehicleId = (await createVehicle(t.app.db, cast.customerA.id)).id
  })
  afterAll(async () => t?.close())

  it('create → jobs and lines → approved → in_progress → completed, audited', async () => {
    const { advisor, assignedMechanic, customerA } = cast
    const order = await openOrder(t.app, advisor, vehicleId, { concerns: ['Squeal when braking'], mechanicId: assignedMechanic.id })
    expect(order).toMatchObject({ status: 'draft', customerId: customerA.id, mechanicId: assignedMechanic.id })
    expect(order.number).toMatch(/^WO-\d{6,}$/)

    const service = await createService(t.app.db, { name: 'Brake service', labourHours: 1.5, parts: [{ partId: 77, quantity: 2 }] })
    const fromService = await call(advisor, 'POST', `/api/work-orders/${order.id}/jobs`, { title: 'Brakes', serviceId: service.id })
    expect(fromService.statusCode, fromService.body).toBe(201)
    const shop = (await call(advisor, 'GET', '/api/shop')).json()
    expect(fromService.json().lines).toEqual([
      expect.objectContaining({ kind: 'labour', quantity: 1.5, unitPriceCents: shop.labourRateCents, amountCents: Math.round(1.5 * shop.labourRateCents) }),
      expect.objectContaining({ kind: 'part', quantity: 2, unitPriceCents: 0, partId: 77, description: 'Part #77 (price to be set)' }),
    ])
    const finding = await call(assignedMechanic, 'POST', `/api/work-orders/${order.id}/jobs`, { title: 'Wiper blades', serviceId: service.id })
    expect(finding.statusCode).toBe(201)
    expect(finding.json()).toMatchObject({ status: 'proposed', lines: [], serviceId: service.id })
    const priced = await addPricedJob(t.app, advisor, order.id, { quantity: 2, unitPriceCents: 5_000, discountCents: 1_000 })

    // The customer approves two and declines the finding (the decisions flow's system move).
    await decide(t.app, order.id, [
      { jobId: fromService.json().id, decision: 'approved' },
      { jobId: priced, decision: 'approved' },
      { jobId: finding.json().id, decision: 'declined' },
    ])
    expect((await call(customerA, 'GET', `/api/work-orders/${order.id}`)).json().status).toBe('approved')

    // Lines of a decided job no longer change.
    const late = await call(advisor, 'POST', `/api/work-orders/${order.id}/jobs/${priced}/lines`, { kind: 'fee', description: 'Shop supplies', quantity: 1, unitPriceCents: 500 })
    expect(problemOf(late)).toEqual({ status: 409, code: 'ECAR_ERR_JOB_DECIDED' })

    expect((await call(assignedMechanic, 'POST', `/api/work-orders/${order.id}/status`, { status: 'in_progress' })).statusCode).toBe(200)
    const early = await call(assignedMechanic, 'POST', `/api/work-orders/${order.id}/status`, { status: 'completed', odometerOut: 42_010 })
    expect(problemOf(early)).toEqual({ status: 409, code: 'ECAR_ERR_JOBS_NOT_COMPLETED' })
    for (const jobId of [fromService.json().id, priced]) {
      const done = await call(assignedMechanic, 'PATCH', `/api/work-orders/${order.id}/jobs/${jobId}`, { completed: true, correction: 'Replaced' })
      expect(done.statusCode, done.body).toBe(200)
      expect(done.json().completedAt).not.toBeNull()
    }
    const noOdometer = await call(assignedMechanic, 'POST', `/api/work-orders/${order.id}/status`, { status: 'completed' })
    expect(noOdometer.statusCode).toBe(400)
    const asked = Date.now()
    const completed = await call(assignedMechanic, 'POST', `/api/work-orders/${order.id}/status`, { status: 'completed', odometerOut: 42_010 })
    expect(completed.statusCode, completed.body).toBe(200)
    expect(completed.json()).toMatchObject({ status: 'completed', odometerOut: 42_010 })
    // Stamped by the move itself.
    expect(Date.parse(completed.json().completedAt)).toBeGreaterThanOrEqual(asked)
    expect(Date.parse(completed.json().completedAt)).toBeLessThanOrEqual(Date.now())

    const trail = (await call(advisor, 'GET', `/api/audit?entity=work_order&entityId=${order.id}`)).json().items as { action: string; changes: Record<string, unknown> }[]
    expect(trail.map((e) => e.action)).toEqual(['work_order.status_changed', 'work_order.status_changed', 'work_order.status_changed', 'work_order.created'])
    expect(trail[0]!.changes.status).toEqual(['in_progress', 'completed'])
  })

  it('lists: customers their own, mechanics theirs, the desk all; q finds number, plate and name', async () => {
    const { advisor, assignedMechanic, mechanic, customerA, customerB } = cast
    const mine = await openOrder(t.app, advisor, vehicleId, { mechanicId: assignedMechanic.id })
    const vehicleB = await createVehicle(t.app.db, customerB.id, { licensePlate: 'ZZ 99 QQQ' })
    const theirs = await openOrder(t.app, advisor, vehicleB.id)
    const ids = async (user: typeof advisor, query = '') => ((await call(user, 'GET', `/api/work-orders?limit=200${query}`)).json().items as { id: number }[]).map((o) => o.id)
    expect(await ids(customerA)).toContain(mine.id)
    expect(await ids(customerA)).not.toContain(theirs.id)
    expect(await ids(assignedMechanic)).toContain(mine.id)
    expect(await ids(mechanic)).toEqual([])
    expect(await ids(advisor)).toEqual(expect.arrayContaining([mine.id, theirs.id]))
    expect(await ids(advisor, `&q=${encodeURIComponent(theirs.number.toLowerCase())}`)).toEqual([theirs.id])
    expect(await ids(advisor, '&q=zz99')).toEqual([theirs.id])
    expect(await ids(advisor, `&q=${encodeURIComponent(customerB.name)}`)).toEqual([theirs.id])
    expect(await ids(advisor, `&customerId=${customerB.id}&status=draft`)).toEqual([theirs.id])
  })

  it('PATCH at the desk: every field, audited; refusals change nothing', async () => {
    const { advisor, assignedMechanic, mechanic } = cast
    const order = await openOrder(t.app, advisor, vehicleId, { mechanicId: assignedMechanic.id, promisedAt: '2030-01-01T16:00:00Z' })
    const body = { label: 'waiting for parts', notes: 'Call first', concerns: ['Noise', 'Leak'], mechanicId: mechanic.id, bayId: null, promisedAt: null, odometerIn: 41_000, odometerOut: 41_050 }
    const res = await call(advisor, 'PATCH', `/api/work-orders/${order.id}`, body)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject(body)
    const changes = (await call(advisor, 'GET', `/api/audit?entity=work_order&entityId=${order.id}`)).json().items[0].changes
    expect(Object.keys(changes).sort()).toEqual(['concerns', 'label', 'mechanicId', 'notes', 'odometerIn', 'odometerOut', 'promisedAt'])
    const before = (await call(advisor, 'GET', `/api/work-orders/${order.id}`)).json()
    expect((await call(advisor, 'PATCH', `/api/work-orders/${order.id}`, { odometerOut: 40_000 })).statusCode).toBe(400)
    expect((await call(advisor, 'PATCH', `/api/work-orders/${order.id}`, { bayId: 999_999 })).statusCode).toBe(400)
    expect((await call(advisor, 'PATCH', `/api/work-orders/${order.id}`, { status: 'void' })).statusCode).toBe(400)
    expect((await call(advisor, 'GET', `/api/work-orders/${order.id}`)).json()).toEqual(before)
    // The same values again change nothing, not even updatedAt.
    expect((await call(advisor, 'PATCH', `/api/work-orders/${order.id}`, body)).json().updatedAt).toBe(before.updatedAt)
  })
})
