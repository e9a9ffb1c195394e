import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, type TestApp } from '../../../test/support/app.ts'
import { castOf, type Cast } from '../../../test/support/actors.ts'
import { createVehicle } from '../../../test/support/factories/vehicles.ts'
import { addPricedJob, openOrder } from '../../../test/support/factories/work-orders.ts'
import { caller, problemOf } from '../../../test/support/http.ts'
import type { VehicleHistory } from './history.schemas.ts'

describe("a vehicle's history", () => {
  let t: TestApp
  let call: ReturnType<typeof caller>
  let cast: Cast

  beforeAll(async () => {
    t = await buildTestApp()
    call = caller(t.app)
    cast = await castOf(t.app.db)
  })
  afterAll(async () => t?.close())

  const ok = async (res: Promise<{ statusCode: number; body: string; json(): unknown }>) => {
    const answer = await res
    expect(answer.statusCode, answer.body).toBeLessThan(300)
    return answer.json() as Record<string, unknown>
  }
  const historyOf = async (user: Cast[keyof Cast], vehicleId: number) => {
    const res = await call(user, 'GET', `/api/vehicles/${vehicleId}/history`)
    expect(res.statusCode, res.body).toBe(200)
    return res.json() as VehicleHistory
  }

  /** A visit worked through the API: two priced jobs sent, the first approved and the second declined, inspected, worked, completed. */
  async function completedVisit(vehicleId: number) {
    const { advisor, assignedMechanic, customerA } = cast
    const order = await openOrder(t.app, advisor, vehicleId, { mechanicId: assignedMechanic.id })
    const brakes = await addPricedJob(t.app, advisor, order.id, { unitPriceCents: 12_000 })
    const wipers = await addPricedJob(t.app, advisor, order.id, { kind: 'part', description: 'Wiper blades', quantity: 2, unitPriceCents: 1_950, discountCents: 400 })
    const { hash } = await ok(call(advisor, 'POST', `/api/work-orders/${order.id}/estimates`))
    await ok(
      call(customerA, 'POST', `/api/work-orders/${order.id}/decisions`, {
        estimateHash: hash,
        decisions: [
          { jobId: brakes, decision: 'approved' },
          { jobId: wipers, decision: 'declined' },
        ],
      }),
    )
    await ok(call(assignedMechanic, 'PUT', `/api/work-orders/${order.id}/inspection`, { items: [{ name: 'Wiper blades', result: 'attention', note: 'Streaking' }] }))
    await ok(call(assignedMechanic, 'POST', `/api/work-orders/${order.id}/status`, { status: 'in_progress' }))
    await ok(call(assignedMechanic, 'PATCH', `/api/work-orders/${order.id}/jobs/${brakes}`, { completed: true }))
    const done = await ok(call(assignedMechanic, 'POST', `/api/work-orders/${order.id}/status`, { status: 'completed', odometerOut: 42_030 }))
    return { order, brakes, wipers, completedAt: done.completedAt as string }
  }

  it('is empty for a vehicle that was never in the shop', async () => {
    const vehicle = await createVehicle(t.app.db, cast.customerA.id)
    expect(await historyOf(cast.customerA, vehicle.id)).toEqual({ workOrders: [], recommendations: [], inspections: [] })
  })

  it('lists every visit newest first with its jobs, the declined jobs as recommendations, and the inspections', async () => {
    const vehicle = await createVehicle(t.app.db, cast.customerA.id)
    const first = await completedVisit(vehicle.id)
    const second = await openOrder(t.app, cast.advisor, vehicle.id)

    const history = await historyOf(cast.customerA, vehicle.id)
    expect(history.workOrders).toEqual([
      { id: second.id, number: second.number, status: 'draft', openedAt: expect.any(String), completedAt: null, odometerIn: 42_000, jobs: [], invoice: null },
      {
        id: first.order.id,
        number: first.order.number,
        status: 'completed',
        openedAt: expect.any(String),
        completedAt: first.completedAt,
        odometerIn: 42_000,
        jobs: [
          { title: 'Front brakes', status: 'approved' },
          { title: 'Front brakes', status: 'declined' },
        ],
        invoice: null,
      },
    ])
    expect(Date.parse(history.workOrders[0]!.openedAt)).toBeGreaterThanOrEqual(Date.parse(history.workOrders[1]!.openedAt))
    // 2 × 19.50 − 4.00, before tax.
    expect(history.recommendations).toEqual([{ workOrderId: first.order.id, jobId: first.wipers, title: 'Front brakes', netCents: 3_500, declinedAt: expect.any(String) }])
    expect(history.inspections).toEqual([
      { workOrderId: first.order.id, number: first.order.number, updatedAt: expect.any(String), items: [{ name: 'Wiper blades', result: 'attention', note: 'Streaking' }] },
    ])
    // Staff of every kind see the same.
    for (const user of [cast.mechanic, cast.assignedMechanic, cast.advisor, cast.admin]) expect(await historyOf(user, vehicle.id)).toEqual(history)
  })

  it("is 404 for another customer's vehicle and 400 for a malformed id", async () => {
    const vehicle = await createVehicle(t.app.db, cast.customerA.id)
    expect(problemOf(await call(cast.customerB, 'GET', `/api/vehicles/${vehicle.id}/history`))).toEqual({ status: 404, code: 'ECAR_ERR_VEHICLE_NOT_FOUND' })
    expect(problemOf(await call(cast.advisor, 'GET', '/api/vehicles/999999999/history'))).toEqual({ status: 404, code: 'ECAR_ERR_VEHICLE_NOT_FOUND' })
    for (const id of ['abc', '0', '-1']) expect((await call(cast.advisor, 'GET', `/api/vehicles/${id}/history`)).statusCode, id).toBe(400)
  })

  it("shows a new owner only the visits made for them; a former owner's stay with the desk", async () => {
    const vehicle = await createVehicle(t.app.db, cast.customerA.id)
    const before = await completedVisit(vehicle.id)
    await ok(call(cast.advisor, 'PATCH', `/api/vehicles/${vehicle.id}`, { ownerId: cast.customerB.id }))
    const after = await openOrder(t.app, cast.advisor, vehicle.id)

    expect(problemOf(await call(cast.customerA, 'GET', `/api/vehicles/${vehicle.id}/history`)).status).toBe(404)
    expect(await historyOf(cast.customerB, vehicle.id)).toEqual({
      workOrders: [expect.objectContaining({ id: after.id })],
      recommendations: [],
      inspections: [],
    })
    const desk = await historyOf(cast.advisor, vehicle.id)
    expect(desk.workOrders.map((o) => o.id)).toEqual([after.id, before.order.id])
    expect(desk.recommendations.map((r) => r.jobId)).toEqual([before.wipers])
  })

  it('is cached per user, and a write shows at once', async () => {
    const vehicle = await createVehicle(t.app.db, cast.customerA.id)
    const url = `/api/vehicles/${vehicle.id}/history`
    expect((await call(cast.customerA, 'GET', url)).headers['x-cache']).toBe('MISS')
    expect((await call(cast.customerA, 'GET', url)).headers['x-cache']).toBe('HIT')
    const order = await openOrder(t.app, cast.advisor, vehicle.id)
    const fresh = await call(cast.customerA, 'GET', url)
    expect(fresh.headers['x-cache']).toBe('MISS')
    expect((fresh.json() as VehicleHistory).workOrders.map((o) => o.id)).toEqual([order.id])
  })
})
