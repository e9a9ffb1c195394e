import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, type TestApp } from '../../../test/support/app.ts'
import { castOf, type Cast } from '../../../test/support/actors.ts'
import { randomVin, vehicleBody } from '../../../test/support/factories/vehicles.ts'
import { caller, problemOf } from '../../../test/support/http.ts'
import { problem } from '../../platform/http/errors.ts'
import { VehicleErrors } from './vehicles.errors.ts'
import { vinCheckDigit } from '../vin/vin-decode.ts'
import type { MileageChange } from './vehicle-events.ts'
import { vehicles } from './vehicles.table.ts'

/** A well-formed VIN starting with `first` whose check digit is right or wrong. */
function vinWith(first: string, checkDigit: 'right' | 'wrong'): string {
  const chars = [...`${first}${randomVin().slice(1)}`]
  const right = vinCheckDigit(chars.join(''))
  chars[8] = checkDigit === 'right' ? right : right === '7' ? '8' : '7'
  return chars.join('')
}

describe('vehicle events and write warnings', () => {
  let t: TestApp
  let call: ReturnType<typeof caller>
  let cast: Cast
  const changes: MileageChange[] = []
  const undeletable = new Set<number>()

  beforeAll(async () => {
    t = await buildTestApp()
    call = caller(t.app)
    cast = await castOf(t.app.db)
    t.app.vehicleEvents.onMileageChange(async (_tx, _touch, change) => void changes.push(change))
    // What work orders will do: refuse deleting a vehicle that still has open work.
    t.app.vehicleEvents.onDeleting(async (tx, vehicle) => {
      const [row] = await tx.select({ id: vehicles.id }).from(vehicles).where(eq(vehicles.id, vehicle.id))
      expect(row?.id).toBe(vehicle.id)
      if (undeletable.has(vehicle.id)) throw problem(VehicleErrors.VEHICLE_HAS_OPEN_WORK_ORDERS, 'The vehicle has open work orders.')
    })
  })
  afterAll(async () => t?.close())

  it('tells subscribers of the first mileage and of every change, with the actor, and of nothing else', async () => {
    changes.length = 0
    const created = (await call(cast.customerA, 'POST', '/api/vehicles', vehicleBody({ mileage: 100 }))).json()
    await call(cast.customerA, 'PATCH', `/api/vehicles/${created.id}`, { color: 'Black' })
    await call(cast.customerA, 'PATCH', `/api/vehicles/${created.id}`, { mileage: 100 })
    await call(cast.advisor, 'PATCH', `/api/vehicles/${created.id}`, { mileage: 150 })
    await call(cast.customerA, 'PATCH', `/api/vehicles/${created.id}`, { mileage: 120 })
    expect(changes.map((c) => [c.vehicle.id, c.from, c.to, c.actor.userId, c.actor.role])).toEqual([
      [created.id, null, 100, cast.customerA.id, 'customer'],
      [created.id, 100, 150, cast.advisor.id, 'advisor'],
    ])
  })

  it('runs delete checks under the vehicle row before deleting: a refusal keeps the vehicle', async () => {
    const kept = (await call(cast.customerA, 'POST', '/api/vehicles', vehicleBody())).json()
    const gone = (await call(cast.customerA, 'POST', '/api/vehicles', vehicleBody())).json()
    undeletable.add(kept.id)
    expect(problemOf(await call(cast.advisor, 'DELETE', `/api/vehicles/${kept.id}`))).toEqual({ status: 409, code: 'ECAR_ERR_VEHICLE_HAS_OPEN_WORK_ORDERS' })
    expect((await call(cast.customerA, 'GET', `/api/vehicles/${kept.id}`)).statusCode).toBe(200)
    expect((await call(cast.customerA, 'DELETE', `/api/vehicles/${gone.id}`)).statusCode).toBe(204)
    // A vehicle out of reach is 404 before any check runs.
    expect((await call(cast.customerB, 'DELETE', `/api/vehicles/${kept.id}`)).statusCode).toBe(404)
  })

  it.each([
    ['a North-American VIN with a wrong check digit is reported', vinWith('1', 'wrong'), true],
    ['…for every North-American first character', vinWith('5', 'wrong'), true],
    ['a North-American VIN with a right check digit is not', vinWith('2', 'right'), false],
    ['a VIN from elsewhere is never checked', vinWith('W', 'wrong'), false],
  ])('create: %s', async (_name, vin, warned) => {
    const res = await call(cast.customerA, 'POST', '/api/vehicles', vehicleBody({ vin }))
    expect(res.statusCode).toBe(201)
    const body = res.json()
    if (warned) expect(body.warnings).toEqual([expect.stringMatching(/check digit/)])
    else expect(body).not.toHaveProperty('warnings')
    // Warnings belong to the write's answer: reads never carry them.
    expect((await call(cast.customerA, 'GET', `/api/vehicles/${body.id}`)).json()).not.toHaveProperty('warnings')
  })

  it('update: reports a wrong check digit only when the VIN changes', async () => {
    const vehicle = (await call(cast.customerA, 'POST', '/api/vehicles', vehicleBody({ vin: vinWith('1', 'wrong') }))).json()
    expect((await call(cast.customerA, 'PATCH', `/api/vehicles/${vehicle.id}`, { color: 'Pink' })).json()).not.toHaveProperty('warnings')
    expect((await call(cast.customerA, 'PATCH', `/api/vehicles/${vehicle.id}`, { vin: vehicle.vin })).json()).not.toHaveProperty('warnings')
    const changed = await call(cast.customerA, 'PATCH', `/api/vehicles/${vehicle.id}`, { vin: vinWith('3', 'wrong') })
    expect(changed.json().warnings).toHaveLength(1)
    expect((await call(cast.customerA, 'PATCH', `/api/vehicles/${vehicle.id}`, { vin: vinWith('3', 'right') })).json()).not.toHaveProperty('warnings')
  })
})
