import { and, eq, isNull } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, type TestApp } from '../../../test/support/app.ts'
import { castOf, type Cast } from '../../../test/support/actors.ts'
import { createUser } from '../../../test/support/factories/users.ts'
import { createVehicle } from '../../../test/support/factories/vehicles.ts'
import { insertOrder } from '../../../test/support/factories/work-orders.ts'
import { caller, problemOf } from '../../../test/support/http.ts'
import { workOrderTimeEntries } from './work-orders.table.ts'

describe('work orders: what mechanics may do', () => {
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

  const assigned = (fields: Parameters<typeof insertOrder>[1] extends infer F ? Partial<F> : never = {}) =>
    insertOrder(t.app.db, { vehicleId, customerId: cast.customerA.id, mechanicId: cast.assignedMechanic.id, ...fields })

  it('another mechanic gets 404 wherever the assigned one gets through', async () => {
    const { order, jobId } = await assigned({ status: 'approved', jobStatus: 'approved' })
    const cells: [string, string, unknown?][] = [
      ['GET', `/api/work-orders/${order.id}`],
      ['PATCH', `/api/work-orders/${order.id}`, { notes: 'x' }],
      ['POST', `/api/work-orders/${order.id}/jobs`, { title: 'Finding' }],
      ['PATCH', `/api/work-orders/${order.id}/jobs/${jobId}`, { cause: 'Worn' }],
      ['GET', `/api/work-orders/${order.id}/inspection`],
      ['PUT', `/api/work-orders/${order.id}/inspection`, { items: [] }],
      ['POST', `/api/work-orders/${order.id}/status`, { status: 'in_progress' }],
    ]
    for (const [method, url, body] of cells) {
      expect(problemOf(await call(cast.mechanic, method as 'GET', url, body)), `${method} ${url}`).toEqual({ status: 404, code: 'ECAR_ERR_WORK_ORDER_NOT_FOUND' })
      expect((await call(cast.assignedMechanic, method as 'GET', url, body)).statusCode, `${method} ${url}`).toBeLessThan(300)
    }
  })

  it.each([
    { mechanicId: null },
    { concerns: ['x'] },
    { odometerIn: 5 },
    { notes: 'ok', promisedAt: '2030-01-01T00:00:00Z' },
  ])('the assigned mechanic may not PATCH %o (403, nothing changed)', async (body) => {
    const { order } = await assigned()
    const before = (await call(cast.advisor, 'GET', `/api/work-orders/${order.id}`)).json()
    expect(problemOf(await call(cast.assignedMechanic, 'PATCH', `/api/work-orders/${order.id}`, body))).toEqual({ status: 403, code: 'ECAR_ERR_FORBIDDEN' })
    expect((await call(cast.advisor, 'GET', `/api/work-orders/${order.id}`)).json()).toEqual(before)
  })

  it('the assigned mechanic changes notes and label; job title is 403, cause and correction pass', async () => {
    const { order, jobId } = await assigned()
    const res = await call(cast.assignedMechanic, 'PATCH', `/api/work-orders/${order.id}`, { notes: 'Seen', label: 'quality check' })
    expect(res.json()).toMatchObject({ notes: 'Seen', label: 'quality check' })
    expect((await call(cast.assignedMechanic, 'PATCH', `/api/work-orders/${order.id}/jobs/${jobId}`, { title: 'Other' })).statusCode).toBe(403)
    expect((await call(cast.assignedMechanic, 'PATCH', `/api/work-orders/${order.id}/jobs/${jobId}`, { cause: 'Worn', correction: 'Replaced' })).json()).toMatchObject({ cause: 'Worn', correction: 'Replaced' })
    // Lines are the desk's.
    expect((await call(cast.assignedMechanic, 'POST', `/api/work-orders/${order.id}/jobs/${jobId}/lines`, { kind: 'fee', description: 'x', quantity: 1, unitPriceCents: 1 })).statusCode).toBe(403)
  })

  it('reassigning moves the order between the mechanics at once', async () => {
    const { order } = await assigned()
    await call(cast.assignedMechanic, 'GET', `/api/work-orders/${order.id}`)
    await call(cast.assignedMechanic, 'GET', '/api/work-orders')
    await call(cast.mechanic, 'GET', '/api/work-orders')
    expect((await call(cast.advisor, 'PATCH', `/api/work-orders/${order.id}`, { mechanicId: cast.mechanic.id })).statusCode).toBe(200)
    expect((await call(cast.assignedMechanic, 'GET', `/api/work-orders/${order.id}`)).statusCode).toBe(404)
    const ids = async (u: typeof cast.mechanic) => ((await call(u, 'GET', '/api/work-orders')).json().items as { id: number }[]).map((o) => o.id)
    expect(await ids(cast.assignedMechanic)).not.toContain(order.id)
    expect(await ids(cast.mechanic)).toContain(order.id)
    const customer = await createUser(t.app.db)
    expect(problemOf(await call(cast.advisor, 'PATCH', `/api/work-orders/${order.id}`, { mechanicId: customer.id })).status).toBe(400)
  })

  describe('the clock', () => {
    const openEntries = async (mechanicId: number) =>
      t.app.db.select().from(workOrderTimeEntries).where(and(eq(workOrderTimeEntries.mechanicId, mechanicId), isNull(workOrderTimeEntries.stoppedAt)))

    it('start, start elsewhere (stops the first), stop; refusals change nothing', async () => {
      const mechanic = await createUser(t.app.db, { role: 'mechanic' })
      const a = await insertOrder(t.app.db, { vehicleId, customerId: cast.customerA.id, mechanicId: mechanic.id, status: 'in_progress', jobStatus: 'approved' })
      const b = await insertOrder(t.app.db, { vehicleId, customerId: cast.customerA.id, mechanicId: mechanic.id, status: 'in_progress', jobStatus: 'approved' })
      const clock = (o: typeof a, action: string) => call(mechanic, 'POST', `/api/work-orders/${o.order.id}/jobs/${o.jobId}/clock`, { action })

      expect(problemOf(await clock(a, 'stop'))).toEqual({ status: 409, code: 'ECAR_ERR_NOT_CLOCKED_IN' })
      const first = await clock(a, 'start')
      expect(first.statusCode, first.body).toBe(200)
      expect(first.json()).toMatchObject({ entry: { jobId: a.jobId, stoppedAt: null }, stopped: null })
      expect(problemOf(await clock(a, 'start'))).toEqual({ status: 409, code: 'ECAR_ERR_ALREADY_CLOCKED_IN' })
      const second = await clock(b, 'start')
      expect(second.json()).toMatchObject({ entry: { jobId: b.jobId, stoppedAt: null }, stopped: { id: first.json().entry.id, jobId: a.jobId } })
      expect((await openEntries(mechanic.id)).map((e) => e.jobId)).toEqual([b.jobId])
      // The first order's detail shows its entry stopped.
      const detailA = (await call(mechanic, 'GET', `/api/work-orders/${a.order.id}`)).json()
      expect(detailA.jobs[0].timeEntries[0].stoppedAt).not.toBeNull()
      expect(problemOf(await clock(a, 'stop'))).toEqual({ status: 409, code: 'ECAR_ERR_NOT_CLOCKED_IN' })
      expect((await clock(b, 'stop')).json().entry.stoppedAt).not.toBeNull()
      expect(await openEntries(mechanic.id)).toEqual([])
    })

    it('only on an approved job of an order in progress, and only the assigned mechanic', async () => {
      const proposed = await assigned({ status: 'in_progress', jobStatus: 'proposed' })
      const notStarted = await assigned({ status: 'approved', jobStatus: 'approved' })
      const url = (o: typeof proposed) => `/api/work-orders/${o.order.id}/jobs/${o.jobId}/clock`
      expect(problemOf(await call(cast.assignedMechanic, 'POST', url(proposed), { action: 'start' }))).toEqual({ status: 409, code: 'ECAR_ERR_JOB_NOT_APPROVED' })
      expect(problemOf(await call(cast.assignedMechanic, 'POST', url(notStarted), { action: 'start' }))).toEqual({ status: 409, code: 'ECAR_ERR_WORK_ORDER_NOT_IN_PROGRESS' })
      expect((await call(cast.advisor, 'POST', url(notStarted), { action: 'start' })).statusCode).toBe(403)
    })

    it('two starts racing on two orders: every answer is 200 or 409, and one entry stays open', async () => {
      for (let round = 0; round < 5; round++) {
        const mechanic = await createUser(t.app.db, { role: 'mechanic' })
        const orders = await Promise.all(
          [0, 1].map(() => insertOrder(t.app.db, { vehicleId, customerId: cast.customerA.id, mechanicId: mechanic.id, status: 'in_progress', jobStatus: 'approved' })),
        )
        const answers = await Promise.all(orders.map((o) => call(mechanic, 'POST', `/api/work-orders/${o.order.id}/jobs/${o.jobId}/clock`, { action: 'start' })))
        const statuses = answers.map((r) => r.statusCode).sort()
        expect([[200, 200], [200, 409]]).toContainEqual(statuses)
        for (const r of answers) if (r.statusCode === 409) expect(r.json().code).toBe('ECAR_ERR_ALREADY_CLOCKED_IN')
        expect(await openEntries(mechanic.id)).toHaveLength(1)
      }
    })
  })
})
