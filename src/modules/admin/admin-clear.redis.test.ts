import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, type TestApp } from '../../../test/support/app.ts'
import { createUser, type TestUser } from '../../../test/support/factories/users.ts'
import { redisServerBinary, spawnRedis, type SpawnedRedis } from '../../../test/support/services.ts'

const KEYS = 200_000

// Clearing a large cache must not stall Redis for its other clients: SCAN + UNLINK in batches.
describe.skipIf(!redisServerBinary())(`clearing ${KEYS} keys`, () => {
  let redis: SpawnedRedis
  let client: Redis
  let t: TestApp
  let admin: TestUser
  beforeAll(async () => {
    redis = await spawnRedis()
    client = new Redis(redis.url)
    t = await buildTestApp({ env: { REDIS_URL: redis.url } })
    admin = await createUser(t.app.db, { role: 'admin' })
  })
  afterAll(async () => {
    await t?.close()
    client?.disconnect()
    await redis?.stop()
  })

  it('removes exactly the matching keys while a PING loop keeps answering', async () => {
    // This deployment's root: prefix, version and the deployment id from its database.
    const root = t.app.cache.keys.root
    for (let start = 0; start < KEYS; start += 10_000) {
      const batch = client.pipeline()
      for (let i = start; i < start + 10_000; i++) batch.set(`${root}customer_vehicles_${i}`, 'x'.repeat(64))
      await batch.exec()
    }
    await client.set(`${root}vehicle_list_u1_customer_x`, 'keep')
    await client.set('customer_vehicles_1', 'seed key of another app')
    await client.config('SET', 'slowlog-log-slower-than', '1000') // log every command over 1 ms
    await client.slowlog('RESET')

    let stop = false
    const pings: number[] = []
    const pinger = new Redis(redis.url)
    const loop = (async () => {
      while (!stop && pings.length < 1_000_000) {
        const started = performance.now()
        await pinger.ping()
        pings.push(performance.now() - started)
      }
    })()
    const started = performance.now()
    const res = await t.app.inject({ method: 'DELETE', url: '/api/admin/cache?pattern=customer_vehicles_*', headers: admin.auth })
    const clearMs = performance.now() - started
    stop = true
    await loop
    pinger.disconnect()

    expect(res.statusCode).toBe(200)
    expect(res.json().deleted).toBe(KEYS)
    const [, left] = await client.scan('0', 'MATCH', `${root}customer_vehicles_*`, 'COUNT', 1_000_000)
    expect(left).toEqual([])
    expect(await client.get(`${root}vehicle_list_u1_customer_x`)).toBe('keep')
    expect(await client.get('customer_vehicles_1')).toBe('seed key of another app')

    // Server side: no command of the clear ran for more than a few milliseconds.
    const slow = (await client.slowlog('GET', 1000)) as [number, number, number, string[]][]
    const worstCommandMs = Math.max(0, ...slow.map((entry) => entry[2] / 1000))
    const worstPingMs = Math.max(...pings)
    const sorted = [...pings].sort((a, b) => a - b)
    console.log(
      `clear of ${KEYS} keys: ${Math.round(clearMs)} ms; worst Redis command ${worstCommandMs.toFixed(2)} ms; ` +
        `${pings.length} concurrent PINGs, p50 ${sorted[Math.floor(sorted.length / 2)]!.toFixed(2)} ms, worst ${worstPingMs.toFixed(2)} ms`,
    )
    expect(worstCommandMs).toBeLessThan(20)
    expect(pings.length).toBeGreaterThan(50)
    expect(worstPingMs).toBeLessThan(100)
  })
})
