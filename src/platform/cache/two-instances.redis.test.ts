import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, testDbKind, type TestDatabase } from '../../../test/support/app.ts'
import { deferred, dropPrefix, eventually, makeCache, nextTurn, type TestCache } from '../../../test/support/cache.ts'
import type { CacheEntryOptions } from './cache.types.ts'
import { createWriter } from './writer.ts'
import type { Tag } from './cache-declaration.ts'

const opts = (tags: string[]): CacheEntryOptions => ({ namespace: 'customer_vehicles', ttlMs: 60_000, tags })

// Two app instances on one Redis and one PostgreSQL, each with its own L1.
describe.skipIf(testDbKind() !== 'postgres')('two instances sharing Redis and PostgreSQL', () => {
  let testDb: TestDatabase
  let a: TestCache
  let b: TestCache
  beforeAll(async () => {
    testDb = await createTestDatabase('postgres')
    a = await makeCache(testDb)
    b = await makeCache(testDb, { CACHE_PREFIX: a.config.cache.prefix })
    await eventually(() => a.cache.health() === 'up' && b.cache.health() === 'up', 5000, 'both caches up')
    // Both buses are subscribed before the tests start: B hears an invalidation A publishes.
    await b.cache.getOrSet('k_warmup', async () => 'old', opts(['warmup']))
    await eventually(async () => {
      await a.cache.invalidateTags(['warmup'])
      return b.cache.l1!.get('k_warmup') === undefined
    }, 5000, 'the bus of B')
  })
  afterAll(async () => {
    await a?.close()
    await b?.close()
    await dropPrefix(a.config)
    await testDb?.drop()
  })

  it('a write on A is seen by the very next read on B, every time', async () => {
    const writer = createWriter({ database: testDb.database, cache: a.cache })
    let version = 0
    for (let i = 0; i < 50; i++) {
      const key = 'customer_vehicles_1'
      await b.cache.getOrSet(key, async () => version, opts(['customer:1:vehicles'])) // warm B's L1
      version++
      await writer.transaction(async (_tx, touch) => touch('customer:1:vehicles' as Tag)) // the write on A has answered
      // A client's next request reaches B at the earliest one event-loop turn later (in separate
      // processes, a whole network round trip later); the invalidation is already in B's socket.
      await nextTurn()
      const seen = await b.cache.getOrSet(key, async () => version, opts(['customer:1:vehicles']))
      expect(seen.value).toBe(version)
    }
  })

  it('B reads what A cached from Redis, and the stale-set race is closed in Redis too (L1 off)', async () => {
    const noL1a = await makeCache(testDb, { CACHE_PREFIX: a.config.cache.prefix, CACHE_L1_MAX_ENTRIES: '0' })
    const noL1b = await makeCache(testDb, { CACHE_PREFIX: a.config.cache.prefix, CACHE_L1_MAX_ENTRIES: '0' })
    try {
      await noL1a.cache.getOrSet('k_shared', async () => 'from-a', opts(['shared']))
      expect(await noL1b.cache.getOrSet('k_shared', async () => 'from-b', opts(['shared']))).toEqual({ value: 'from-a', status: 'HIT' })

      const loaded = deferred()
      const release = deferred()
      const slow = noL1a.cache.getOrSet(
        'k_race2',
        async () => {
          loaded.resolve()
          await release.promise
          return 'v1'
        },
        opts(['race2']),
      )
      await loaded.promise
      await noL1b.cache.invalidateTags(['race2'])
      release.resolve()
      await slow
      expect(await noL1b.cache.getOrSet('k_race2', async () => 'v2', opts(['race2']))).toEqual({ value: 'v2', status: 'MISS' })
    } finally {
      await noL1a.close()
      await noL1b.close()
    }
  })

  it('with B’s Redis subscriber killed, PostgreSQL NOTIFY still keeps B’s L1 fresh', async () => {
    await b.cache.getOrSet('k_bus', async () => 'old', opts(['bus']))
    await a.redis!.client('KILL', 'TYPE', 'pubsub')
    await a.cache.invalidateTags(['bus'])
    // NOTIFY is delivered asynchronously at commit; the writer's own Redis bump already made Redis fresh.
    await eventually(async () => (await b.cache.getOrSet('k_bus', async () => 'new', opts(['bus']))).value === 'new', 2000, 'B fresh')
  })

  it('with both of B’s invalidation paths cut, B does not serve its L1', async () => {
    await eventually(() => (b.cache as unknown as { useL1(): boolean }).useL1(), 5000, 'B listening again')
    await b.cache.getOrSet('k_cut', async () => 'old', opts(['cut']))
    const admin = new pg.Client({ connectionString: testDb.url })
    await admin.connect()
    // Cut B's LISTEN connection and both subscribers, then write on A while nothing reaches B.
    await admin.query("select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query ilike 'listen %'")
    await admin.end()
    await a.redis!.client('KILL', 'TYPE', 'pubsub')
    await a.cache.invalidateTags(['cut'])
    const seen = await b.cache.getOrSet('k_cut', async () => 'new', opts(['cut']))
    expect(seen.value).toBe('new')
  })

  it('a writer that dies between its commit and its Redis invalidation is repaired by the others', async () => {
    await eventually(() => (b.cache as unknown as { useL1(): boolean }).useL1(), 5000, 'B listening again')
    const noL1 = await makeCache(testDb, { CACHE_PREFIX: a.config.cache.prefix, CACHE_L1_MAX_ENTRIES: '0' })
    try {
      const tags = ['customer:9:vehicles']
      await b.cache.getOrSet('customer_vehicles_9', async () => 'old', opts(tags))
      expect((await noL1.cache.getOrSet('customer_vehicles_9', async () => 'new', opts(tags))).value).toBe('old')
      const repairsBefore = b.cache.stats.total.errors
      // What a process killed right after COMMIT leaves: the announcement went out with the commit,
      // the Redis bump and its pub/sub message never happen.
      await testDb.database.db.transaction(async (tx) => a.cache.announce(tx, tags, 'write-of-a-dead-process'))
      const started = Date.now()
      await eventually(async () => (await noL1.cache.getOrSet('customer_vehicles_9', async () => 'new', opts(tags))).value === 'new', 3000, 'Redis repaired')
      await eventually(async () => (await b.cache.getOrSet('customer_vehicles_9', async () => 'new', opts(tags))).value === 'new', 1000, 'B fresh')
      expect(Date.now() - started).toBeLessThan(3000)
      expect(b.cache.stats.total.errors).toBeGreaterThan(repairsBefore)
    } finally {
      await noL1.close()
    }
  })

  it('a write whose Redis invalidation arrives needs no repair', async () => {
    await eventually(() => (b.cache as unknown as { useL1(): boolean }).useL1(), 5000, 'B listening again')
    const writer = createWriter({ database: testDb.database, cache: a.cache })
    const errorsBefore = b.cache.stats.total.errors
    for (let i = 0; i < 20; i++) await writer.transaction(async (_tx, touch) => touch(`paired:${i}` as Tag))
    // Longer than the hold after which an unpaired announcement is repaired.
    await new Promise((r) => setTimeout(r, a.config.redis.commandTimeoutMs * 2 + 600))
    expect(b.cache.stats.total.errors).toBe(errorsBefore)
  })

  it('concurrent misses on both instances run the loader a bounded number of times', async () => {
    let calls = 0
    const loader = async () => {
      calls++
      await new Promise((r) => setTimeout(r, 100))
      return 'value'
    }
    const all = await Promise.all([
      ...Array.from({ length: 100 }, () => a.cache.getOrSet('k_cold', loader, opts(['cold']))),
      ...Array.from({ length: 100 }, () => b.cache.getOrSet('k_cold', loader, opts(['cold']))),
    ])
    expect(all.every((r) => r.value === 'value')).toBe(true)
    expect(calls).toBe(1)
  })

  it('a pattern clear on A drops matching entries from B’s L1 as well', async () => {
    await eventually(() => (b.cache as unknown as { useL1(): boolean }).useL1(), 5000, 'B listening again')
    await b.cache.getOrSet('customer_vehicles_77', async () => 'cv', opts(['x77']))
    await b.cache.getOrSet('vehicle_list_u77', async () => 'vl', opts(['y77']))
    await a.cache.clear('customer_vehicles_*')
    await eventually(() => b.cache.l1!.get('customer_vehicles_77') === undefined, 2000, 'B L1 cleared')
    expect(b.cache.l1!.get('vehicle_list_u77')).toBeDefined()
  })
})
