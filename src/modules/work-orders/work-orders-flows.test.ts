import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fp from 'fastify-plugin'
import type { VehicleDeletingCheck } from '../vehicles/index.ts'
import { buildTestApp, type TestApp } from '../../../test/support/app.ts'
import { castOf, type Cast } from '../../../test/support/actors.ts'
import { createVehicle } from '../../../test/support/factories/vehicles.ts'
import { createService, insertOrder } from '../../../test/support/factories/work-orders.ts'
import { caller } from '../../../test/support/http.ts'
import { WORK_ORDER_STATUSES } from './work-order.machine.ts'
import Fastify from 'fastify'
import { assertVehicleDeletable, workOrderVehicleSubscriptions } from './vehicle-subscriptions.ts'
import { createWorkOrderFromCheckIn } from './work-orders.flows.ts'
import { seedWorkOrders } from './work-orders.seed.ts'
import { hasOpenWorkOrders } from './work-orders.repository.ts'

describe('work orders: what other modules and flows call', () => {
  let t: TestApp
  let call: ReturnType<typeof caller>
  let cast: Cast

  beforeAll(async () => {
    t = await buildTestApp()
    call = caller(t.app)
    cast = await castOf(t.app.db)
  })
  afterAll(async () => t?.close())

  it('check-in opens a draft with the requested work and the services\' names as concerns, audited and visible at once', async () => {
    const vehicle = await createVehicle(t.app.db, cast.customerA.id)
    const oil = await createService(t.app.db, { name: 'Oil change' })
    const brakes = await createService(t.app.db, { name: 'Brake check' })
    await call(cast.customerA, 'GET', '/api/work-orders')
    const row = await t.app.writer.transaction((tx, touch) =>
      createWorkOrderFromCheckIn(tx, touch, {
        appointment: { id: 4242, vehicleId: vehicle.id, bayId: null, mechanicId: cast.assignedMechanic.id, serviceIds: [brakes.id, oil.id], requestedWork: '  Rattle at speed ' },
        actor: { userId: cast.advisor.id, role: 'advisor' },
        odometer: 51_234,
      }),
    )
    const seen = (await call(cast.customerA, 'GET', `/api/work-orders/${row.id}`)).json()
    expect(seen).toMatchObject({ status: 'draft', appointmentId: 4242, odometerIn: 51_234, advisorId: cast.advisor.id, mechanicId: cast.assignedMechanic.id, customerId: cast.customerA.id })
    expect(seen.concerns).toEqual(['Rattle at speed', 'Brake check', 'Oil change'])
    expect(((await call(cast.customerA, 'GET', '/api/work-orders')).json().items as { id: number }[]).map((o) => o.id)).toContain(row.id)
    const audit = (await call(cast.advisor, 'GET', `/api/audit?entity=work_order&entityId=${row.id}`)).json().items
    expect(audit).toEqual([expect.objectContaining({ action: 'work_order.created', actorId: cast.advisor.id })])
  })

  it('the demo seed makes one order per status, each with jobs, lines and totals, its estimate and decisions', async () => {
    const vehicle = await createVehicle(t.app.db, cast.customerB.id)
    const rows = await t.app.db.transaction((tx) =>
      seedWorkOrders(tx, { vehicles: [{ id: vehicle.id, ownerId: cast.customerB.id, mileage: 10_000 }], mechanicIds: [cast.mechanic.id], advisorId: cast.advisor.id, labourRateCents: 9_000 }),
    )
    expect(rows.map((r) => r.status)).toEqual([...WORK_ORDER_STATUSES])
    for (const row of rows) {
      const order = (await call(cast.admin, 'GET', `/api/work-orders/${row.id}`)).json()
      expect(order.jobs).toHaveLength(2)
      expect(order.jobs.every((job: { lines: unknown[] }) => job.lines.length === 2)).toBe(true)
      if (row.status !== 'declined') expect(order.totals.subtotalCents).toBeGreaterThan(0)
      // Every order but the draft was sent; the decisions match the jobs' statuses, and every job of a decided order is decided.
      expect(order.estimate === null, row.status).toBe(row.status === 'draft')
      const approvals = (await call(cast.admin, 'GET', `/api/work-orders/${row.id}/approvals`)).json().items as { jobId: number; decision: string }[]
      const decided = ['approved', 'in_progress', 'completed', 'invoiced', 'declined'].includes(row.status)
      expect(approvals, row.status).toHaveLength(decided ? 2 : 0)
      for (const job of order.jobs as { id: number; status: string; completedAt: string | null }[]) {
        expect(job.status, row.status).toBe(approvals.find((a) => a.jobId === job.id)?.decision ?? 'proposed')
        if (row.status === 'completed' || row.status === 'invoiced') expect(job.completedAt !== null, row.status).toBe(job.status === 'approved')
      }
      expect(order.completedAt !== null, row.status).toBe(row.status === 'completed' || row.status === 'invoiced')
    }
    // Declined work stays on the vehicle: one job each of the approved and the completed order, both of the declined one.
    const history = (await call(cast.admin, 'GET', `/api/vehicles/${vehicle.id}/history`)).json()
    const declinedIn = (status: string) => rows.find((r) => r.status === status)!.id
    expect(history.recommendations.map((r: { workOrderId: number }) => r.workOrderId).sort()).toEqual(
      [declinedIn('approved'), declinedIn('completed'), declinedIn('declined'), declinedIn('declined')].sort(),
    )
    expect(history.workOrders).toHaveLength(WORK_ORDER_STATUSES.length)
  })

  it.each(WORK_ORDER_STATUSES.map((status) => ({ status, open: status !== 'invoiced' && status !== 'void' })))(
    'a vehicle with a $status order: open $open, deletable never',
    async ({ status, open }) => {
      const vehicle = await createVehicle(t.app.db, cast.customerA.id)
      expect(await hasOpenWorkOrders(t.app.db, vehicle.id)).toBe(false)
      await expect(assertVehicleDeletable(t.app.db, vehicle.id)).resolves.toBeUndefined()
      await insertOrder(t.app.db, { vehicleId: vehicle.id, customerId: cast.customerA.id, status })
      expect(await hasOpenWorkOrders(t.app.db, vehicle.id)).toBe(open)
      await expect(assertVehicleDeletable(t.app.db, vehicle.id)).rejects.toMatchObject({
        status: 409,
        code: open ? 'ECAR_ERR_VEHICLE_HAS_OPEN_WORK_ORDERS' : 'ECAR_ERR_VEHICLE_HAS_HISTORY',
      })
    },
  )

  it('subscribes its check to app.vehicleEvents.onDeleting', async () => {
    const checks: VehicleDeletingCheck[] = []
    const host = Fastify()
    host.decorate('vehicleEvents', { onDeleting: (check: VehicleDeletingCheck) => void checks.push(check) } as never)
    await host.register(fp(async () => {}, { name: 'ecar-vehicle-events' }))
    await host.register(workOrderVehicleSubscriptions)
    await host.ready()
    expect(checks).toHaveLength(1)
    const vehicle = await createVehicle(t.app.db, cast.customerA.id)
    await insertOrder(t.app.db, { vehicleId: vehicle.id, customerId: cast.customerA.id, status: 'approved' })
    await expect(checks[0]!(t.app.db as never, vehicle)).rejects.toMatchObject({ status: 409, code: 'ECAR_ERR_VEHICLE_HAS_OPEN_WORK_ORDERS' })
    await host.close()
  })

  // Runs once the vehicles module offers its deleting check (a colleague's branch): then DELETE is refused.
  it('DELETE /api/vehicles/:id is 409 while the vehicle has an open order', async () => {
    const vehicle = await createVehicle(t.app.db, cast.customerA.id)
    await insertOrder(t.app.db, { vehicleId: vehicle.id, customerId: cast.customerA.id, status: 'in_progress' })
    const res = await call(cast.advisor, 'DELETE', `/api/vehicles/${vehicle.id}`)
    expect(res.json()).toMatchObject({ status: 409, code: 'ECAR_ERR_VEHICLE_HAS_OPEN_WORK_ORDERS' })
  })
})
