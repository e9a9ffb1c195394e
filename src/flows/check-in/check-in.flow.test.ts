import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, type TestApp } from '../../../test/support/app.ts'
import { castOf } from '../../../test/support/actors.ts'
import { booking, createBay, useUtcShop } from '../../../test/support/factories/appointments.ts'
import { createVehicle } from '../../../test/support/factories/vehicles.ts'
import { caller, problemOf } from '../../../test/support/http.ts'

describe('checking a car in: appointment → odometer reading → draft work order, in one transaction', () => {
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

  /** A confirmed appointment of a new vehicle of customer A, with the assigned mechanic. */
  async function confirmed(mileage: number, day: number) {
    const vehicle = await createVehicle(t.app.db, cast.customerA.id, { mileage })
    const booked = await call(cast.customerA, 'POST', '/api/appointments', booking(vehicle.id, day, '09:00', '10:00', { requestedWork: 'Squeaky brakes' }))
    expect(booked.statusCode).toBe(201)
    const id = booked.json().id as number
    expect((await call(cast.advisor, 'PATCH', `/api/appointments/${id}`, { mechanicId: cast.assignedMechanic.id })).statusCode).toBe(200)
    expect((await call(cast.advisor, 'POST', `/api/appointments/${id}/status`, { status: 'confirmed' })).statusCode).toBe(200)
    return { id, vehicleId: vehicle.id }
  }

  it('opens a draft work order with the reading as odometerIn, records the reading and raises the mileage', async () => {
    const { id, vehicleId } = await confirmed(40_000, 3)
    const res = await call(cast.advisor, 'POST', `/api/appointments/${id}/status`, { status: 'checked_in', odometer: 41_250 })
    expect(res.statusCode).toBe(200)
    const workOrderId = res.json().workOrderId as number
    expect(res.json()).toMatchObject({ status: 'checked_in', workOrderId: expect.any(Number) })
    const order = await call(cast.advisor, 'GET', `/api/work-orders/${workOrderId}`)
    expect(order.json()).toMatchObject({
      status: 'draft',
      vehicleId,
      customerId: cast.customerA.id,
      appointmentId: id,
      mechanicId: cast.assignedMechanic.id,
      odometerIn: 41_250,
      concerns: ['Squeaky brakes'],
    })
    // The customer and the assigned mechanic see it; the reading is the vehicle's latest.
    expect((await call(cast.customerA, 'GET', `/api/work-orders/${workOrderId}`)).statusCode).toBe(200)
    expect((await call(cast.assignedMechanic, 'GET', `/api/work-orders/${workOrderId}`)).statusCode).toBe(200)
    expect((await call(cast.mechanic, 'GET', `/api/work-orders/${workOrderId}`)).statusCode).toBe(404)
    const readings = (await call(cast.customerA, 'GET', `/api/vehicles/${vehicleId}/odometer`)).json().items
    expect(readings[0]).toMatchObject({ value: 41_250, source: 'check_in' })
    expect((await call(cast.customerA, 'GET', `/api/vehicles/${vehicleId}`)).json().mileage).toBe(41_250)
    expect((await call(cast.customerA, 'GET', `/api/appointments/${id}`)).json()).toMatchObject({ status: 'checked_in', workOrderId })
  })

  it('refuses a check-in whose reading is below the latest: 409, the appointment stays confirmed, no work order is opened', async () => {
    const { id, vehicleId } = await confirmed(60_000, 4)
    const orders = async () => (await call(cast.advisor, 'GET', `/api/work-orders?vehicleId=${vehicleId}`)).json().items.length
    const res = await call(cast.advisor, 'POST', `/api/appointments/${id}/status`, { status: 'checked_in', odometer: 59_000 })
    expect(problemOf(res)).toEqual({ status: 409, code: 'ECAR_ERR_ODOMETER_DECREASE' })
    expect((await call(cast.customerA, 'GET', `/api/appointments/${id}`)).json()).toMatchObject({ status: 'confirmed', workOrderId: null })
    expect(await orders()).toBe(0)
    // The vehicle was inserted with its mileage and no readings; the refused check-in added none.
    expect((await call(cast.customerA, 'GET', `/api/vehicles/${vehicleId}/odometer`)).json().items).toEqual([])
    expect((await call(cast.customerA, 'GET', `/api/vehicles/${vehicleId}`)).json().mileage).toBe(60_000)
  })
})
