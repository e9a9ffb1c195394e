import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, createTestDatabase, testDbKind, type TestApp, type TestDatabase } from '../support/app.ts'
import { eventually, nextTurn } from '../support/cache.ts'
import { createUser, type TestUser } from '../support/factories/users.ts'
import { createVehicle } from '../support/factories/vehicles.ts'
import { redisServerBinary, spawnRedis, type SpawnedRedis } from '../support/services.ts'


describe.skipIf(testDbKind() !== 'postgres' || !redisServerBinary())('two app instances on one Redis and one PostgreSQL', () => {
  let redis: SpawnedRedis
  let testDb: TestDatabase
  let a: TestApp
  let b: TestApp
  let owner: TestUser
  let vehicleId: number

  beforeAll(async () => {
    redis = await spawnRedis()
    testDb = await createTestDatabase('postgres')
    const env = { REDIS_URL: redis.url, CACHE_PREFIX: `ecar-two-${process.pid}`, REDIS_COMMAND_TIMEOUT_MS: '300', CACHE_BREAKER_MS: '500' }
    a = await buildTestApp({ testDb, env })
    b = await buildTestApp({ testDb, env })
    owner = await createUser(a.app.db)
    vehicleId = (await createVehicle(a.app.db, owner.id, { mileage: 1000 })).id
  })
  afterAll(async () => {
    await a?.close()
    await b?.close()
    await redis?.stop()
    await testDb?.drop()
  })

  const readOnB = async () => {
    const list = await b.app.inject({ method: 'GET', url: '/api/vehicles', headers: owner.auth })
    const data = await b.app.inject({ method: 'GET', url: `/api/customers/${owner.id}/vehicles`, headers: owner.auth })
    expect(list.statusCode).toBe(200)
    expect(data.statusCode).toBe(200)
    return { list: list.json().items[0].mileage as number, data: data.json().items[0].mileage as number }
  }
  const writeOnA = async (mileage: number) => {
    const res = await a.app.inject({ method: 'PATCH', url: `/api/vehicles/${vehicleId}`, headers: owner.auth, payload: { mileage } })
    expect(res.statusCode).toBe(200)
  }

  it('a write on A is seen by the next read on B', async () => {
    for (let mileage = 1001; mileage <= 1020; mileage++) {
      await readOnB() // B's caches are warm
      await writeOnA(mileage)
      await nextTurn()
      expect(await readOnB()).toEqual({ list: mileage, data: mileage })
    }
  })

  it('…also while Redis is paused, and after it comes back', async () => {
    await readOnB()
    redis.pause()
    try {
      await writeOnA(2000)
      await nextTurn()
      expect(await readOnB()).toEqual({ list: 2000, data: 2000 })
      await writeOnA(2001)
      await nextTurn()
      expect(await readOnB()).toEqual({ list: 2001, data: 2001 })
    } finally {
      redis.resume()
    }
    await eventually(() => a.app.cache.health() === 'up' && b.app.cache.health() === 'up', 10_000, 'caches up again')
    expect(await readOnB()).toEqual({ list: 2001, data: 2001 })
    // And the cache is in use again.
    const again = await b.app.inject({ method: 'GET', url: '/api/vehicles', headers: owner.auth })
    expect(again.headers['x-cache']).toBe('HIT')
  })
})
