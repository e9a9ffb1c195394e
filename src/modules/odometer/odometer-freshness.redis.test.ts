import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, createTestDatabase, testDbKind, type TestApp, type TestDatabase } from '../../../test/support/app.ts'
import { eventually, nextTurn } from '../../../test/support/cache.ts'
import { createUser, type TestUser } from '../../../test/support/factories/users.ts'
import { vehicleBody } from '../../../test/support/factories/vehicles.ts'
import { caller } from '../../../test/support/http.ts'
import { redisServerBinary, spawnRedis, type SpawnedRedis } from '../../../test/support/services.ts'

/**
 * Readings written on instance A show at once in every view cached on instance B: the readings
 * list and every vehicle view (detail, lists, the customer's data-cached vehicles), with Redis up
 * and with Redis paused (SIGSTOP: it holds the sockets open and answers nothing).
 */
describe.skipIf(testDbKind() !== 'postgres' || !redisServerBinary())('odometer freshness, two instances', () => {
  let redis: SpawnedRedis
  let testDb: TestDatabase
  let a: TestApp
  let b: TestApp
  let customer: TestUser
  let advisor: TestUser

  beforeAll(async () => {
    redis = await spawnRedis()
    testDb = await createTestDatabase('postgres')
    const env = { REDIS_URL: redis.url, CACHE_PREFIX: `ecar-odometer-${process.pid}`, REDIS_COMMAND_TIMEOUT_MS: '300', CACHE_BREAKER_MS: '500' }
    a = await buildTestApp({ testDb, env })
    b = await buildTestApp({ testDb, env })
    customer = await createUser(a.app.db)
    advisor = await createUser(a.app.db, { role: 'advisor' })
  })
  afterAll(async () => {
    await a?.close()
    await b?.close()
    await redis?.stop()
    await testDb?.drop()
  })

  /** What B shows of the vehicle: its readings' values (as the customer and as staff) and its mileage in every view. */
  async function seenOnB(vehicleId: number) {
    const read = caller(b.app)
    const values = async (user: TestUser) => ((await read(user, 'GET', `/api/vehicles/${vehicleId}/odometer`)).json().items as { value: number }[]).map((r) => r.value)
    const mileageIn = async (user: TestUser, url: string) => {
      const body = (await read(user, 'GET', url)).json()
      return ('items' in body ? body.items.find((v: { id: number }) => v.id === vehicleId) : body).mileage as number
    }
    return {
      readings: [await values(customer), await values(advisor)],
      mileage: [
        await mileageIn(customer, `/api/vehicles/${vehicleId}`),
        await mileageIn(advisor, `/api/vehicles/${vehicleId}`),
        await mileageIn(customer, '/api/vehicles'),
        await mileageIn(advisor, '/api/vehicles?limit=200'),
        await mileageIn(customer, `/api/customers/${customer.id}/vehicles`),
        await mileageIn(advisor, `/api/customers/${customer.id}/vehicles`),
      ],
    }
  }

  async function expectFresh(round: 'up' | 'paused') {
    const write = caller(a.app)
    const vehicle = (await write(customer, 'POST', '/api/vehicles', vehicleBody({ mileage: 1_000 }))).json() as { id: number }
    const expected = (readings: number[], mileage: number) => ({ readings: [readings, readings], mileage: Array(6).fill(mileage) })
    await seenOnB(vehicle.id)
    expect(await seenOnB(vehicle.id)).toEqual(expected([1_000], 1_000))
    if (round === 'up') {
      const again = await caller(b.app)(customer, 'GET', `/api/vehicles/${vehicle.id}/odometer`)
      expect(again.headers['x-cache'], 'the list must be cached on B, or this test proves nothing').toBe('HIT')
    }

    expect((await write(customer, 'POST', `/api/vehicles/${vehicle.id}/odometer`, { value: 2_000 })).statusCode).toBe(201)
    await nextTurn()
    expect(await seenOnB(vehicle.id)).toEqual(expected([2_000, 1_000], 2_000))

    // A back-dated reading changes the list only.
    const past = new Date(Date.now() - 86_400_000).toISOString()
    expect((await write(advisor, 'POST', `/api/vehicles/${vehicle.id}/odometer`, { value: 500, recordedAt: past })).statusCode).toBe(201)
    await nextTurn()
    expect(await seenOnB(vehicle.id)).toEqual(expected([2_000, 1_000, 500], 2_000))

    expect((await write(advisor, 'POST', `/api/vehicles/${vehicle.id}/odometer`, { value: 1_800, correction: true, reason: 'typo' })).statusCode).toBe(201)
    await nextTurn()
    expect(await seenOnB(vehicle.id)).toEqual(expected([1_800, 2_000, 1_000, 500], 1_800))

    expect((await write(customer, 'PATCH', `/api/vehicles/${vehicle.id}`, { mileage: 2_500 })).statusCode).toBe(200)
    await nextTurn()
    expect(await seenOnB(vehicle.id)).toEqual(expected([2_500, 1_800, 2_000, 1_000, 500], 2_500))

    expect((await write(customer, 'DELETE', `/api/vehicles/${vehicle.id}`)).statusCode).toBe(204)
    await nextTurn()
    expect((await caller(b.app)(customer, 'GET', `/api/vehicles/${vehicle.id}/odometer`)).statusCode).toBe(404)
  }

  it('with Redis up', async () => {
    await expectFresh('up')
  })

  it('with Redis paused', async () => {
    redis.pause()
    try {
      await expectFresh('paused')
    } finally {
      redis.resume()
    }
    await eventually(() => a.app.cache.health() === 'up' && b.app.cache.health() === 'up', 10_000, 'caches up again')
  })
})
