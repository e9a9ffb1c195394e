import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, type TestApp } from '../support/app.ts'
import { freePort } from '../support/services.ts'

// Pointed at a closed port, the service runs on the database alone: sign-in, reads, writes, sign-out.
describe('with Redis unreachable', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await buildTestApp({ env: { REDIS_URL: `redis://127.0.0.1:${await freePort()}` } })
  })
  afterAll(async () => t?.close())

  it('keeps answering, reports the cache degraded, and revokes at once', async () => {
    expect(t.app.cache.backend).toBe('redis')
    const ready = await t.app.inject({ method: 'GET', url: '/readyz' })
    expect(ready.statusCode).toBe(200)
    expect(ready.json()).toMatchObject({ status: 'degraded', db: 'up', cache: 'degraded' })

    const started = performance.now()
    const reg = await t.app.inject({ method: 'POST', url: '/api/auth/register', payload: { email: 'noredis@example.test', password: 'long enough password', name: 'No Redis' } })
    expect(reg.statusCode).toBe(201)
    const auth = { authorization: `Bearer ${reg.json().token}` }
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'noredis@example.test', password: 'long enough password' } })
    expect(login.statusCode).toBe(200)
    const created = await t.app.inject({ method: 'POST', url: '/api/vehicles', headers: auth, payload: { make: 'Ford', model: 'Ka', year: 2010, vin: '1FAHP3F20CL123456', licensePlate: 'NR-1', mileage: 10, color: 'Red' } })
    expect(created.statusCode).toBe(201)
    for (let i = 0; i < 3; i++) expect((await t.app.inject({ method: 'GET', url: '/api/vehicles', headers: auth })).statusCode).toBe(200)
    const patch = await t.app.inject({ method: 'PATCH', url: `/api/vehicles/${created.json().id}`, headers: auth, payload: { mileage: 20 } })
    expect(patch.statusCode).toBe(200)
    const list = await t.app.inject({ method: 'GET', url: '/api/vehicles', headers: auth })
    expect(list.json().items[0].mileage).toBe(20)
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: auth })).statusCode).toBe(204)
    expect((await t.app.inject({ method: 'GET', url: '/api/vehicles', headers: auth })).statusCode).toBe(401)
    // Fail fast: the whole sequence took far less than one default ioredis stall (~10 s).
    expect(performance.now() - started).toBeLessThan(3000)
  })
})
