import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, type TestApp } from '../../../test/support/app.ts'
import { castOf, type Cast } from '../../../test/support/actors.ts'
import { createVehicle } from '../../../test/support/factories/vehicles.ts'
import { insertOrder } from '../../../test/support/factories/work-orders.ts'
import { caller } from '../../../test/support/http.ts'
import { WORK_ORDER_STATUSES, workOrderMachine, type WorkOrderActor, type WorkOrderStatus } from './work-order.machine.ts'

const ACTORS = ['advisor', 'admin', 'assignedMechanic'] as const satisfies readonly WorkOrderActor[]

/** Every (from, to, actor) the machine refuses to POST …/status: the table the test walks. */
const ILLEGAL = WORK_ORDER_STATUSES.flatMap((from) =>
  WORK_ORDER_STATUSES.flatMap((to) => ACTORS.filter((actor) => !workOrderMachine.can(from, to, actor)).map((actor) => ({ from, to, actor }))),
)

describe('work orders: POST …/status refuses every move the machine does not allow', () => {
  let t: TestApp
  let call: ReturnType<typeof caller>
  let cast: Cast
  let vehicleId: number
  /** One order per (status, actor): a refusal changes nothing, so every target is tried on the same one. */
  const orders = new Map<string, number>()

  beforeAll(async () => {
    t = await buildTestApp()
    call = caller(t.app)
    cast = await castOf(t.app.db)
    vehicleId = (await createVehicle(t.app.db, cast.customerA.id)).id
    for (const status of WORK_ORDER_STATUSES) {
      for (const actor of ACTORS) {
        const { order } = await insertOrder(t.app.db, { vehicleId, customerId: cast.customerA.id, mechanicId: cast.assignedMechanic.id, status, jobStatus: 'approved' })
        orders.set(`${status}/${actor}`, order.id)
      }
    }
  })
  afterAll(async () => t?.close())

  it('has illegal moves for every status and actor (so the table below tests something)', () => {
    expect(ILLEGAL.length).toBeGreaterThan(150)
    for (const status of WORK_ORDER_STATUSES) for (const actor of ACTORS) expect(ILLEGAL.some((m) => m.from === status && m.actor === actor)).toBe(true)
    // The rows only 'system' may make are refused to everyone here.
    for (const [from, to] of [['draft', 'awaiting_approval'], ['awaiting_approval', 'approved'], ['completed', 'invoiced']] as const) {
      expect(ACTORS.every((actor) => ILLEGAL.some((m) => m.from === from && m.to === to && m.actor === actor))).toBe(true)
    }
  })

  it.each(ILLEGAL)('$from → $to by $actor: 409 with allowed, nothing changed', async ({ from, to, actor }) => {
    const id = orders.get(`${from}/${actor}`)!
    const user = cast[actor]
    const before = (await call(cast.advisor, 'GET', `/api/work-orders/${id}`)).json()
    const res = await call(user, 'POST', `/api/work-orders/${id}/status`, { status: to, reason: 'because', odometerOut: 2000 })
    expect(res.statusCode, res.body).toBe(409)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(res.json()).toMatchObject({ code: 'ECAR_ERR_ILLEGAL_TRANSITION', allowed: workOrderMachine.allowedFrom(from as WorkOrderStatus, actor) })
    expect((await call(cast.advisor, 'GET', `/api/work-orders/${id}`)).json()).toEqual(before)
  })

  it('void needs a reason (400, nothing changed), then voids with it', async () => {
    const { order } = await insertOrder(t.app.db, { vehicleId, customerId: cast.customerA.id, status: 'in_progress' })
    const missing = await call(cast.advisor, 'POST', `/api/work-orders/${order.id}/status`, { status: 'void' })
    expect(missing.statusCode).toBe(400)
    expect((await call(cast.advisor, 'GET', `/api/work-orders/${order.id}`)).json().status).toBe('in_progress')
    const voided = await call(cast.advisor, 'POST', `/api/work-orders/${order.id}/status`, { status: 'void', reason: 'Customer cancelled' })
    expect(voided.json()).toMatchObject({ status: 'void', voidReason: 'Customer cancelled' })
  })

  it('declined → draft and completed → in_progress (reopen) are allowed', async () => {
    const { order: declined } = await insertOrder(t.app.db, { vehicleId, customerId: cast.customerA.id, status: 'declined', jobStatus: 'declined' })
    expect((await call(cast.admin, 'POST', `/api/work-orders/${declined.id}/status`, { status: 'draft' })).json().status).toBe('draft')
    const { order: done } = await insertOrder(t.app.db, { vehicleId, customerId: cast.customerA.id, mechanicId: cast.assignedMechanic.id, status: 'completed', jobStatus: 'approved' })
    expect((await call(cast.advisor, 'GET', `/api/work-orders/${done.id}`)).json().completedAt).toBe(done.completedAt!.toISOString())
    const reopened = (await call(cast.assignedMechanic, 'POST', `/api/work-orders/${done.id}/status`, { status: 'in_progress' })).json()
    expect(reopened).toMatchObject({ status: 'in_progress', completedAt: null })
  })
})
