import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, type TestApp } from '../../../test/support/app.ts'
import { castOf, type Cast } from '../../../test/support/actors.ts'
import { booking, createBay, useUtcShop } from '../../../test/support/factories/appointments.ts'
import { createVehicle } from '../../../test/support/factories/vehicles.ts'
import { problemOf } from '../../../test/support/http.ts'

/** POST /api/appointments with an Idempotency-Key: replay, 422 on another body, concurrent requests book once. */
describe('appointments: Idempotency-Key', () => {
  let t: TestApp
  let cast: Cast
  let vehicleA: number

  beforeAll(async () => {
    t = await buildTestApp()
    cast = await castOf(t.app.db)
    await useUtcShop(t.app, cast.admin)
    await createBay(t.app.db)
    await createBay(t.app.db)
    vehicleA = (await createVehicle(t.app.db, cast.customerA.id)).id
  })
  afterAll(async () => t?.close())

  const count = async () => Number(((await t.app.db.execute(sql`select count(*)::int as n from appointments`)) as unknown as { rows: { n: number }[] }).rows[0]!.n)
  const post = (key: string | undefined, payload: object, user = cast.customerA) =>
    t.app.inject({ method: 'POST', url: '/api/appointments', headers: { ...user.auth, ...(key ? { 'idempotency-key': key } : {}) }, payload })

  it('the same key and body replays the first answer (status, body, Location) and books nothing more', async () => {
    const body = booking(vehicleA, 2)
    const first = await post('book-1', body)
    expect(first.statusCode).toBe(201)
    const before = await count()
    // Another key order is the same body.
    const again = await post('book-1', Object.fromEntries(Object.entries(body).reverse()))
    expect([again.statusCode, again.json(), again.headers.location, again.headers['idempotent-replayed']]).toEqual([201, first.json(), first.headers.location, 'true'])
    expect(await count()).toBe(before)
    // Even after the appointment changed, the replay is the first answer.
    await t.app.inject({ method: 'POST', url: `/api/appointments/${first.json().id}/status`, headers: cast.advisor.auth, payload: { status: 'confirmed' } })
    expect((await post('book-1', body)).json().status).toBe('requested')
  })

  it('the same key with another body is 422 and changes nothing; another user may use the same key', async () => {
    await post('book-2', booking(vehicleA, 3))
    const before = await count()
    const res = await post('book-2', booking(vehicleA, 3, '11:00', '11:30'))
    expect(problemOf(res)).toEqual({ status: 422, code: 'ECAR_ERR_IDEMPOTENCY_KEY_REUSED' })
    expect(await count()).toBe(before)
    expect((await post('book-2', booking(vehicleA, 3, '11:00', '11:30'), cast.advisor)).statusCode).toBe(201)
  })

  it('a refused booking keeps no key: the retry is judged again', async () => {
    const taken = booking(vehicleA, 4)
    await post(undefined, taken)
    await post(undefined, taken)
    expect(problemOf(await post('book-3', taken))).toEqual({ status: 409, code: 'ECAR_ERR_SLOT_TAKEN' })
    const [row] = ((await t.app.db.execute(sql`select id from appointments where starts_at = ${taken.startsAt}::timestamptz order by id limit 1`)) as unknown as { rows: { id: number }[] }).rows
    await t.app.inject({ method: 'POST', url: `/api/appointments/${row!.id}/status`, headers: cast.advisor.auth, payload: { status: 'cancelled' } })
    expect((await post('book-3', taken)).statusCode).toBe(201)
  })

  it('concurrent requests with one key book once, and all get that booking', async () => {
    const body = booking(vehicleA, 5)
    const before = await count()
    const answers = await Promise.all(Array.from({ length: 6 }, () => post('book-4', body)))
    expect(answers.map((r) => r.statusCode)).toEqual(Array(6).fill(201))
    expect(new Set(answers.map((r) => r.json().id)).size).toBe(1)
    expect(await count()).toBe(before + 1)
  })

  it('a malformed key is 400', async () => {
    expect((await post('has space', booking(vehicleA, 6))).statusCode).toBe(400)
  })
})
