import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, testCacheKind, testRedisUrl, type TestApp } from '../../../test/support/app.ts'
import { castOf } from '../../../test/support/actors.ts'
import type { TestUser } from '../../../test/support/factories/users.ts'
import { createVehicle } from '../../../test/support/factories/vehicles.ts'

const backend = testCacheKind()

describe(`admin cache endpoints (${backend})`, () => {
  let t: TestApp
  let admin: TestUser
  let customer: TestUser
  let mechanic: TestUser
  let advisor: TestUser
  beforeAll(async () => {
    t = await buildTestApp()
    ;({ admin, customerA: customer, mechanic, advisor } = await castOf(t.app.db))
    await createVehicle(t.app.db, customer.id)
  })
  afterAll(async () => t?.close())

  const stats = async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/admin/cache/stats', headers: admin.auth })
    expect(res.statusCode).toBe(200)
    return res.json()
  }
  const clear = (query = '') => t.app.inject({ method: 'DELETE', url: `/api/admin/cache${query}`, headers: admin.auth })
  const warmCustomer = async () => {
    await t.app.inject({ method: 'GET', url: '/api/vehicles', headers: customer.auth })
    await t.app.inject({ method: 'GET', url: `/api/customers/${customer.id}/vehicles`, headers: customer.auth })
  }

  it('is for admins only', async () => {
    for (const role of ['customer', 'mechanic', 'advisor'] as const) {
      const user = { customer, mechanic, advisor }[role]
      expect((await t.app.inject({ method: 'GET', url: '/api/admin/cache/stats', headers: user.auth })).statusCode).toBe(403)
      expect((await t.app.inject({ method: 'DELETE', url: '/api/admin/cache', headers: user.auth })).statusCode).toBe(403)
    }
    expect((await t.app.inject({ method: 'GET', url: '/api/admin/cache/stats' })).statusCode).toBe(401)
  })

  it('reports the backend, Redis INFO figures consistent with INFO itself, and per-namespace counters', async () => {
    const body = await stats()
    expect(body.backend).toBe(backend)
    expect(body.prefix).toBe(`${t.config.cache.prefix}:v${t.config.cache.version}`)
    expect(Object.keys(body.app.namespaces)).toEqual(expect.arrayContaining(['customer_vehicles', 'vehicle_list', 'vehicle_detail', 'session']))
    if (backend === 'memory') {
      expect(body.redis).toBeUndefined()
      return
    }
    const redis = new Redis(testRedisUrl()!)
    try {
      const info = await redis.info('server')
      expect(info).toContain(`redis_version:${body.redis.version}`)
      expect(body.redis.usedMemory).toBeGreaterThan(0)
      expect(body.redis.usedMemoryHuman).toMatch(/[0-9.]+[BKMG]/)
      expect(body.redis.connectedClients).toBeGreaterThan(0)
      expect(body.redis.uptimeSeconds).toBeGreaterThanOrEqual(0)
      expect(typeof body.redis.maxmemoryPolicy).toBe('string')
      expect(body.redis.hitRatio).toBeGreaterThanOrEqual(0)
    } finally {
      redis.disconnect()
    }
  })

  it('moves the hit ratio as requests hit and miss, and counts keys per namespace', async () => {
    await clear()
    const before = await stats()
    await warmCustomer() // misses
    await warmCustomer() // hits
    await warmCustomer()
    const after = await stats()
    const ns = (body: typeof before, name: string) => body.app.namespaces[name]
    expect(ns(after, 'vehicle_list').misses - ns(before, 'vehicle_list').misses).toBe(1)
    expect(ns(after, 'vehicle_list').hits - ns(before, 'vehicle_list').hits).toBe(2)
    expect(ns(after, 'customer_vehicles').hits - ns(before, 'customer_vehicles').hits).toBe(2)
    expect(after.app.hitRatio).toBeGreaterThan(0)
    expect(ns(after, 'vehicle_list').keys).toBe(1)
    expect(ns(after, 'customer_vehicles').keys).toBe(1)
    expect(after.app.keysComplete).toBe(true)
  })

  it('clears by pattern exactly the matching entries, and refuses an empty pattern', async () => {
    expect((await clear('?pattern=')).statusCode).toBe(400)
    await warmCustomer()
    const res = await clear('?pattern=customer_vehicles_*')
    expect(res.statusCode).toBe(200)
    expect(res.json().deleted).toBe(1)
    const list = await t.app.inject({ method: 'GET', url: '/api/vehicles', headers: customer.auth })
    expect(list.headers['x-cache']).toBe('HIT')
    const data = await t.app.inject({ method: 'GET', url: `/api/customers/${customer.id}/vehicles`, headers: customer.auth })
    expect(data.headers['x-cache']).toBe('MISS')
  })

  it('clearing everything logs nobody out', async () => {
    await warmCustomer()
    expect((await clear()).statusCode).toBe(200)
    const res = await t.app.inject({ method: 'GET', url: '/api/vehicles', headers: customer.auth })
    expect(res.statusCode).toBe(200)
    expect(res.headers['x-cache']).toBe('MISS')
  })

  it.skipIf(backend !== 'redis')('never touches another deployment’s keys or the seed’s unprefixed keys', async () => {
    const redis = new Redis(testRedisUrl()!)
    const foreign = [`${t.config.cache.prefix}-other:v1:customer_vehicles_1`, `other:v${t.config.cache.version}:customer_vehicles_1`, `customer_vehicles_${customer.id}`, `${t.config.cache.prefix}:v${t.config.cache.version + 1}:customer_vehicles_1`]
    try {
      for (const key of foreign) await redis.set(key, 'keep', 'EX', 60)
      await warmCustomer()
      expect((await clear('?pattern=customer_vehicles_*')).json().deleted).toBe(1)
      await warmCustomer()
      expect((await clear()).json().deleted).toBeGreaterThan(0)
      for (const key of foreign) expect(await redis.get(key)).toBe('keep')
      const [, left] = await redis.scan('0', 'MATCH', `${t.config.cache.prefix}:v${t.config.cache.version}:*`, 'COUNT', 100_000)
      expect(left).toEqual([])
    } finally {
      await redis.del(...foreign)
      redis.disconnect()
    }
  })
})
