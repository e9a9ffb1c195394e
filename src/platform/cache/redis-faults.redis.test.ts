import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, testDbKind, type TestDatabase } from '../../../test/support/app.ts'
import { eventually, makeCache, type TestCache } from '../../../test/support/cache.ts'
import { redisServerBinary, spawnRedis, type SpawnedRedis } from '../../../test/support/services.ts'
import type { CacheEntryOptions } from './cache.types.ts'
import { createWriter } from './writer.ts'
import type { Tag } from './cache-declaration.ts'

const opts = (tags: string[]): CacheEntryOptions => ({ namespace: 'customer_vehicles', ttlMs: 60_000, tags })
const COMMAND_TIMEOUT_MS = 300
const timed = async <T>(work: () => Promise<T>) => {
  const started = performance.now()
  const value = await work()
  return { value, ms: performance.now() - started }
}

// These tests own their redis-server: they kill, pause and restart it.
describe.skipIf(!redisServerBinary())('the cache when Redis fails', () => {
  let redis: SpawnedRedis
  let testDb: TestDatabase
  const open: TestCache[] = []
  const cacheOn = async (env: Record<string, string> = {}) => {
    const made = await makeCache(testDb, { REDIS_URL: redis.url, REDIS_COMMAND_TIMEOUT_MS: String(COMMAND_TIMEOUT_MS), CACHE_BREAKER_MS: '500', ...env })
    open.push(made)
    await eventually(() => made.cache.health() === 'up', 5000, 'cache up')
    return made
  }

  beforeAll(async () => {
    redis = await spawnRedis()
    testDb = await createTestDatabase()
  })
  afterAll(async () => {
    for (const made of open) await made.close()
    await redis?.stop()
    await testDb?.drop()
  })

  it('killed: reads fall back to the loader at once, then the cache works again after a restart', async () => {
    const { cache } = await cacheOn({ CACHE_L1_MAX_ENTRIES: '0' })
    await cache.getOrSet('k_kill', async () => 'cached', opts(['kill']))
    await redis.kill()
    const worst = { ms: 0 }
    for (let i = 0; i < 50; i++) {
      const { value, ms } = await timed(() => cache.getOrSet('k_kill', async () => 'from-db', opts(['kill'])))
      expect(value.value).toBe('from-db')
      worst.ms = Math.max(worst.ms, ms)
    }
    expect(worst.ms).toBeLessThan(COMMAND_TIMEOUT_MS + 200)
    expect(cache.health()).toBe('degraded')
    await redis.restart()
    await eventually(() => cache.health() === 'up', 10_000, 'cache up after restart')
    await cache.getOrSet('k_kill', async () => 'again', opts(['kill']))
    expect(await cache.getOrSet('k_kill', async () => 'unused', opts(['kill']))).toEqual({ value: 'again', status: 'HIT' })
  })

  it('paused past the command timeout: reads answer within the bound, and a write made meanwhile is not undone on resume', async () => {
    const { cache } = await cacheOn({ CACHE_L1_MAX_ENTRIES: '0' })
    await cache.getOrSet('k_pause', async () => 'v1', opts(['pause']))
    redis.pause()
    try {
      const first = await timed(() => cache.getOrSet('k_pause', async () => 'v1-db', opts(['pause'])))
      expect(first.ms, 'first read').toBeLessThan(COMMAND_TIMEOUT_MS + 200)
      // The write: its invalidation cannot reach Redis, where v1 still sits.
      const inv = await timed(() => cache.invalidateTags(['pause']))
      expect(inv.ms, 'invalidation').toBeLessThan(COMMAND_TIMEOUT_MS + 200)
      const during = await timed(() => cache.getOrSet('k_pause', async () => 'v2', opts(['pause'])))
      expect(during.value.value).toBe('v2')
      expect(during.ms, 'read in the skip window').toBeLessThan(50)
    } finally {
      redis.resume()
    }
    await eventually(() => cache.health() === 'up', 10_000, 'cache up after resume')
    const after = await cache.getOrSet('k_pause', async () => 'v2', opts(['pause']))
    expect(after.value).toBe('v2')
  })

  it('restarted from an older snapshot: entries the snapshot brings back are retired, not served', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ecar-redis-snapshot-'))
    const snapshotted = await spawnRedis(undefined, ['--dir', dir])
    try {
      const made = await makeCache(testDb, { REDIS_URL: snapshotted.url, CACHE_L1_MAX_ENTRIES: '0', CACHE_BREAKER_MS: '500' })
      open.push(made)
      await eventually(() => made.cache.health() === 'up', 5000, 'cache up')
      await made.cache.getOrSet('k_snap', async () => 'v1', opts(['snap']))
      await made.redis!.save() // the snapshot holds v1 and the tag token it is valid under
      await made.cache.invalidateTags(['snap']) // a write after the snapshot
      await snapshotted.restart() // comes back from the snapshot: v1 and its old token again
      await eventually(() => made.cache.health() === 'up', 10_000, 'cache up after restart')
      expect((await made.cache.getOrSet('k_snap', async () => 'v2', opts(['snap']))).value).toBe('v2')
    } finally {
      await snapshotted.stop()
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('full under noeviction (OOM replies): every read is a miss answered by the loader, and Redis is not skipped', async () => {
    const { cache, redis: client } = await cacheOn({ CACHE_L1_MAX_ENTRIES: '0' })
    await client!.set('filler', 'x'.repeat(3 * 1024 * 1024))
    await client!.config('SET', 'maxmemory-policy', 'noeviction')
    await client!.config('SET', 'maxmemory', '1mb')
    try {
      for (let i = 0; i < 5; i++) {
        const { value, ms } = await timed(() => cache.getOrSet('k_oom', async () => `db-${i}`, opts(['oom'])))
        expect(value).toEqual({ value: `db-${i}`, status: 'MISS' })
        expect(ms).toBeLessThan(100)
      }
      expect(cache.health()).toBe('up')
      expect(cache.stats.total.errors).toBeGreaterThan(0)
    } finally {
      await client!.config('SET', 'maxmemory', '0')
      await client!.del('filler')
    }
    await cache.getOrSet('k_oom', async () => 'cached', opts(['oom']))
    expect((await cache.getOrSet('k_oom', async () => 'unused', opts(['oom']))).status).toBe('HIT')
  })

  it.skipIf(testDbKind() !== 'postgres')('a write on A while Redis is paused is seen by B, during the outage and after it', async () => {
    const a = await cacheOn()
    const b = await cacheOn({ CACHE_PREFIX: a.config.cache.prefix })
    const writer = createWriter({ database: testDb.database, cache: a.cache })
    // B has v1 in its L1 and in Redis.
    await b.cache.getOrSet('customer_vehicles_5', async () => 'v1', opts(['customer:5:vehicles']))
    redis.pause()
    try {
      await writer.transaction(async (_tx, touch) => touch('customer:5:vehicles' as Tag))
      await new Promise((r) => setImmediate(r))
      // B's L1 was told through PostgreSQL; B's Redis read times out and the loader answers.
      const during = await b.cache.getOrSet('customer_vehicles_5', async () => 'v2', opts(['customer:5:vehicles']))
      expect(during.value).toBe('v2')
    } finally {
      redis.resume()
    }
    await eventually(() => a.cache.health() === 'up' && b.cache.health() === 'up', 10_000, 'both up after resume')
    // Redis still holds v1 under the old tokens; the epoch bump after the outage retired it.
    const after = await b.cache.getOrSet('customer_vehicles_5', async () => 'v2', opts(['customer:5:vehicles']))
    expect(after.value).toBe('v2')
  })
})
