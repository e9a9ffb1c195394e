import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, type TestApp } from '../../../test/support/app.ts'
import { castOf, type Cast } from '../../../test/support/actors.ts'
import { createVehicle } from '../../../test/support/factories/vehicles.ts'
import { addPricedJob, decide, insertOrder, openOrder } from '../../../test/support/factories/work-orders.ts'
import { caller, problemOf } from '../../../test/support/http.ts'

describe('work orders: jobs and lines', () => {
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

  it('lines change while the job is proposed, each write audited; the labour price defaults to the shop\'s rate', async () => {
    const { advisor } = cast
    const order = await openOrder(t.app, advisor, vehicleId)
    const jobId = await addPricedJob(t.app, advisor, order.id)
    const base = `/api/work-orders/${order.id}/jobs/${jobId}`
    const labour = await call(advisor, 'POST', `${base}/lines`, { kind: 'labour', description: 'Diagnosis', quantity: 0.5 })
    const rate = (await call(advisor, 'GET', '/api/shop')).json().labourRateCents
    expect(labour.json()).toMatchObject({ unitPriceCents: rate, quantity: 0.5, amountCents: Math.round(rate / 2) })
    expect(problemOf(await call(advisor, 'POST', `${base}/lines`, { kind: 'fee', description: 'Disposal', quantity: 1 }))).toEqual({ status: 400, code: 'ECAR_ERR_VALIDATION' })
    const lineId = labour.json().id
    const changed = await call(advisor, 'PATCH', `${base}/lines/${lineId}`, { quantity: 1.25, discountCents: 100 })
    expect(changed.json()).toMatchObject({ quantity: 1.25, discountCents: 100, netCents: Math.round(1.25 * rate) - 100 })
    expect(problemOf(await call(advisor, 'PATCH', `${base}/lines/${lineId}`, { discountCents: 100_000_000 })).status).toBe(400)
    expect((await call(advisor, 'DELETE', `${base}/lines/${lineId}`)).statusCode).toBe(204)
    expect(problemOf(await call(advisor, 'DELETE', `${base}/lines/${lineId}`))).toEqual({ status: 404, code: 'ECAR_ERR_LINE_NOT_FOUND' })
    const trail = (await call(advisor, 'GET', `/api/audit?entity=line&entityId=${lineId}`)).json().items.map((e: { action: string }) => e.action)
    expect(trail).toEqual(['line.deleted', 'line.updated', 'line.created'])
    // A job of another order is not found through this one.
    const other = await openOrder(t.app, advisor, vehicleId)
    expect(problemOf(await call(advisor, 'PATCH', `/api/work-orders/${other.id}/jobs/${jobId}`, { cause: 'x' }))).toEqual({ status: 404, code: 'ECAR_ERR_JOB_NOT_FOUND' })
  })

  it('after the decision: lines, title and deletion are 409, nothing changed; cause and completion go on', async () => {
    const { advisor } = cast
    const order = await openOrder(t.app, advisor, vehicleId)
    const jobId = await addPricedJob(t.app, advisor, order.id)
    const lineId = (await call(advisor, 'GET', `/api/work-orders/${order.id}`)).json().jobs[0].lines[0].id
    await decide(t.app, order.id, [{ jobId, decision: 'approved' }])
    const before = (await call(advisor, 'GET', `/api/work-orders/${order.id}`)).json()
    const base = `/api/work-orders/${order.id}/jobs/${jobId}`
    for (const [method, url, body] of [
      ['POST', `${base}/lines`, { kind: 'fee', description: 'x', quantity: 1, unitPriceCents: 1 }],
      ['PATCH', `${base}/lines/${lineId}`, { unitPriceCents: 1 }],
      ['DELETE', `${base}/lines/${lineId}`, undefined],
      ['PATCH', base, { title: 'Other' }],
      ['DELETE', base, undefined],
    ] as const) {
      expect(problemOf(await call(advisor, method, url, body)), `${method} ${url}`).toEqual({ status: 409, code: 'ECAR_ERR_JOB_DECIDED' })
    }
    expect((await call(advisor, 'GET', `/api/work-orders/${order.id}`)).json()).toEqual(before)
    expect((await call(advisor, 'PATCH', base, { cause: 'Worn', completed: true })).json()).toMatchObject({ cause: 'Worn', completedAt: expect.any(String) })
  })

  it('a proposed job cannot be completed; a closed order takes no jobs', async () => {
    const { advisor } = cast
    const order = await openOrder(t.app, advisor, vehicleId)
    const jobId = await addPricedJob(t.app, advisor, order.id)
    expect(problemOf(await call(advisor, 'PATCH', `/api/work-orders/${order.id}/jobs/${jobId}`, { completed: true }))).toEqual({ status: 409, code: 'ECAR_ERR_JOB_NOT_APPROVED' })
    expect((await call(advisor, 'DELETE', `/api/work-orders/${order.id}/jobs/${jobId}`)).statusCode).toBe(204)
    for (const status of ['completed', 'invoiced', 'declined', 'void'] as const) {
      const { order: closed } = await insertOrder(t.app.db, { vehicleId, customerId: cast.customerA.id, status })
      expect(problemOf(await call(advisor, 'POST', `/api/work-orders/${closed.id}/jobs`, { title: 'x' }))).toEqual({ status: 409, code: 'ECAR_ERR_WORK_ORDER_CLOSED' })
    }
  })
})
