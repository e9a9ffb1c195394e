import { Redis } from 'ioredis'
import { afterAll, describe, expect, it } from 'vitest'
import { deleteRedisPrefix, testConfig, testRedisUrl, uniquePrefix } from '../../../test/support/app.ts'
import { freePort } from '../../../test/support/services.ts'
import { failFastOptions } from '../cache/redis-connection.ts'
import { createRateLimiter, type RateRule } from './rate-limiter.ts'

const rule: RateRule = { name: 'test', limit: 3, windowMs: 60_000 }

describe('rate limiter in memory', () => {
  it('allows up to the limit in a window, then refuses with the time left', async () => {
    let now = 1_000_000
    const limiter = createRateLimiter({ prefix: 'p', now: () => now })
    for (let i = 1; i <= 3; i++) expect(await limiter.hit(rule, 'a')).toMatchObject({ allowed: true, count: i, store: 'memory' })
    now += 20_000
    expect(await limiter.hit(rule, 'a')).toEqual({ allowed: false, count: 4, retryAfterSeconds: 40, store: 'memory' })
    // Other ids have counters of their own.
    expect(await limiter.hit(rule, 'b')).toMatchObject({ allowed: true, count: 1 })
    now += 40_000
    expect(await limiter.hit(rule, 'a')).toMatchObject({ allowed: true, count: 1, retryAfterSeconds: 60 })
  })

  it('takes back one event with undo and clears with reset', async () => {
    const limiter = createRateLimiter({ prefix: 'p' })
    await limiter.hit(rule, 'a')
    const second = await limiter.hit(rule, 'a')
    await limiter.undo(rule, 'a', second.store)
    expect((await limiter.hit(rule, 'a')).count).toBe(2)
    await limiter.reset(rule, 'a')
    expect((await limiter.hit(rule, 'a')).count).toBe(1)
  })
})

describe('rate limiter in memory, when full', () => {
  it('refuses new ids rather than evicting live counters (fail closed), and makes room as windows end', async () => {
    let now = 2_000_000
    const limiter = createRateLimiter({ prefix: 'p', now: () => now, maxMemoryCounters: 2 })
    for (let i = 0; i < 4; i++) await limiter.hit(rule, 'target')
    expect((await limiter.hit(rule, 'target')).allowed).toBe(false)
    // A flood of fresh ids cannot push the target's counter out.
    for (let i = 0; i < 50; i++) expect(await limiter.hit(rule, `flood-${i}`)).toMatchObject({ allowed: i === 0 })
    expect(await limiter.hit(rule, 'target')).toMatchObject({ allowed: false, count: 6 })
    now += 61_000
    expect(await limiter.hit(rule, 'fresh')).toMatchObject({ allowed: true, count: 1 })
  })
})

describe.skipIf(!testRedisUrl())('rate limiter on Redis', () => {
  const url = testRedisUrl()!
  const prefix = uniquePrefix()
  const clients: Redis[] = []
  const client = async () => {
    const redis = new Redis(url, { ...failFastOptions(testConfig()), lazyConnect: true })
    redis.on('error', () => {})
    await redis.connect()
    clients.push(redis)
    return redis
  }
  afterAll(async () => {
    for (const c of clients) c.disconnect()
    await deleteRedisPrefix(url, prefix)
  })

  it('shares counts between instances on the same Redis', async () => {
    const a = createRateLimiter({ redis: await client(), prefix })
    const b = createRateLimiter({ redis: await client(), prefix })
    expect(await a.hit(rule, 'shared@example.test')).toMatchObject({ allowed: true, count: 1, store: 'redis' })
    expect(await b.hit(rule, 'shared@example.test')).toMatchObject({ allowed: true, count: 2, store: 'redis' })
    expect(await a.hit(rule, 'shared@example.test')).toMatchObject({ allowed: true, count: 3 })
    const refused = await b.hit(rule, 'shared@example.test')
    expect(refused).toMatchObject({ allowed: false, count: 4, store: 'redis' })
    expect(refused.retryAfterSeconds).toBeGreaterThan(55)
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60)
    await b.undo(rule, 'shared@example.test', 'redis')
    expect((await a.hit(rule, 'shared@example.test')).count).toBe(4)
    await a.reset(rule, 'shared@example.test')
    expect((await b.hit(rule, 'shared@example.test')).count).toBe(1)
  })

  it('keeps counters outside the cache namespace, with an expiry and no personal data in the key', async () => {
    const redis = await client()
    const limiter = createRateLimiter({ redis, prefix })
    await limiter.hit({ name: 'login-account', limit: 5, windowMs: 900_000 }, 'Someone.Private@example.test')
    const keys = await redis.keys(`${prefix}:rl:login-account:*`)
    expect(keys).toHaveLength(1)
    expect(keys[0]).toMatch(new RegExp(`^${prefix}:rl:login-account:[0-9a-f]{32}$`))
    expect(keys[0]).not.toMatch(/private|example/i)
    const ttl = await redis.pttl(keys[0]!)
    expect(ttl).toBeGreaterThan(890_000)
    expect(ttl).toBeLessThanOrEqual(900_000)
  })

  it('drops a counter that undo brings to zero', async () => {
    const redis = await client()
    const limiter = createRateLimiter({ redis, prefix })
    const only: RateRule = { name: 'undo', limit: 5, windowMs: 60_000 }
    const hit = await limiter.hit(only, 'x')
    await limiter.undo(only, 'x', hit.store)
    expect(await redis.keys(`${prefix}:rl:undo:*`)).toEqual([])
    // An undo after the window ended does not leave a counter without expiry behind.
    await limiter.undo(only, 'x', 'redis')
    expect(await redis.keys(`${prefix}:rl:undo:*`)).toEqual([])
  })
})

describe('rate limiter with Redis unreachable', () => {
  it('falls back to in-process counters and answers at once', async () => {
    const port = await freePort()
    const redis = new Redis(`redis://127.0.0.1:${port}`, failFastOptions(testConfig()))
    redis.on('error', () => {})
    await redis.connect().catch(() => {})
    try {
      const limiter = createRateLimiter({ redis, prefix: uniquePrefix(), breakerMs: 50 })
      const started = performance.now()
      const decisions = []
      for (let i = 0; i < 4; i++) decisions.push(await limiter.hit(rule, 'down@example.test'))
      expect(performance.now() - started).toBeLessThan(200)
      expect(decisions.map((d) => [d.allowed, d.count, d.store])).toEqual([
        [true, 1, 'memory'],
        [true, 2, 'memory'],
        [true, 3, 'memory'],
        [false, 4, 'memory'],
      ])
      // After the breaker's pause Redis is tried again, and still fails over to memory quickly.
      await new Promise((r) => setTimeout(r, 60))
      expect(await limiter.hit(rule, 'down@example.test')).toMatchObject({ allowed: false, count: 5, store: 'memory' })
    } finally {
      redis.disconnect()
    }
  })
})
