import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, testCacheKind, uniquePrefix, type TestDatabase } from '../../../test/support/app.ts'
import { deferred, dropPrefix, eventually, makeCache, type TestCache } from '../../../test/support/cache.ts'
import type { CacheEntryOptions } from './cache.types.ts'

// Runs on Redis (postgres+redis project) and on the memory backend (pglite+memory project).
const backend = testCacheKind()
const opts = (tags: string[] = ['customer:1:vehicles']): CacheEntryOptions => ({ namespace: 'customer_vehicles', ttlMs: 60_000, tags })

describe(`tiered cache (${backend})`, () => {
  let testDb: TestDatabase
  let t: TestCache
  beforeAll(async () => {
    testDb = await createTestDatabase()
    t = await makeCache(testDb)
  })
  afterAll(async () => {
    await t?.close()
    await dropPrefix(t.config)
    await testDb?.drop()
  })

  it('runs on the configured backend', () => {
    expect(t.cache.backend).toBe(backend)
  })

  it('caches a value and answers HIT without calling the loader again', async () => {
    let calls = 0
    const loader = async () => ({ n: ++calls })
    expect(await t.cache.getOrSet('k_hit', loader, opts())).toEqual({ value: { n: 1 }, status: 'MISS' })
    expect(await t.cache.getOrSet('k_hit', loader, opts())).toEqual({ value: { n: 1 }, status: 'HIT' })
    expect(calls).toBe(1)
  })

  it('caches empty results like any other (the seed re-queried them every time)', async () => {
    let calls = 0
    for (const empty of [[], null, 0, '']) {
      const key = `k_empty_${calls}`
      const loader = async () => {
        calls++
        return empty
      }
      await t.cache.getOrSet(key, loader, opts())
      const second = await t.cache.getOrSet(key, loader, opts())
      expect(second).toEqual({ value: empty, status: 'HIT' })
    }
    expect(calls).toBe(4)
  })

  it('drops every entry carrying an invalidated tag, and only those', async () => {
    await t.cache.getOrSet('k_a', async () => 'a1', opts(['tag:a']))
    await t.cache.getOrSet('k_b', async () => 'b1', opts(['tag:b']))
    await t.cache.invalidateTags(['tag:a'])
    expect(await t.cache.getOrSet('k_a', async () => 'a2', opts(['tag:a']))).toEqual({ value: 'a2', status: 'MISS' })
    expect(await t.cache.getOrSet('k_b', async () => 'b2', opts(['tag:b']))).toEqual({ value: 'b1', status: 'HIT' })
  })

  it('closes the stale-set race: a load that began before a write cannot store its old value after it', async () => {
    const readV1 = deferred()
    const release = deferred()
    const slow = t.cache.getOrSet(
      'k_race',
      async () => {
        readV1.resolve() // the loader has read v1 from the "database"
        await release.promise // …and stalls while the write commits and invalidates
        return 'v1'
      },
      opts(['race']),
    )
    await readV1.promise
    await t.cache.invalidateTags(['race']) // the write of v2
    release.resolve()
    expect((await slow).value).toBe('v1') // the slow reader itself began before the write
    const after = await t.cache.getOrSet('k_race', async () => 'v2', opts(['race']))
    expect(after).toEqual({ value: 'v2', status: 'MISS' })
  })

  it('a caller after an invalidation does not join a load that began before it', async () => {
    const release = deferred()
    let calls = 0
    const first = t.cache.getOrSet(
      'k_join',
      async () => {
        calls++
        await release.promise
        return 'old'
      },
      opts(['join']),
    )
    await eventually(() => calls === 1)
    await t.cache.invalidateTags(['join'])
    const second = t.cache.getOrSet('k_join', async () => (calls++, 'new'), opts(['join']))
    release.resolve()
    expect((await first).value).toBe('old')
    expect((await second).value).toBe('new')
  })

  it('runs the loader once for 200 concurrent misses on a cold key', async () => {
    let calls = 0
    const loader = async () => {
      calls++
      await new Promise((r) => setTimeout(r, 50))
      return ['x']
    }
    const results = await Promise.all(Array.from({ length: 200 }, () => t.cache.getOrSet('k_stampede', loader, opts(['stampede']))))
    expect(calls).toBe(1)
    expect(results.every((r) => r.value[0] === 'x')).toBe(true)
  })

  it('keeps Dates as Dates', async () => {
    const when = new Date('2024-06-01T00:00:00.000Z')
    // A second instance (started first: an instance retires older entries when it starts) reads
    // what this one stores, from Redis; on the memory backend it loads the value itself.
    const other = await makeCache(testDb, { CACHE_PREFIX: t.config.cache.prefix, CACHE_L1_MAX_ENTRIES: '0' })
    try {
      await t.cache.getOrSet('k_date', async () => ({ when }), opts(['date']))
      const got = await other.cache.getOrSet('k_date', async () => ({ when }), opts(['date']))
      expect(got.value.when).toBeInstanceOf(Date)
      expect(got.value.when.toISOString()).toBe(when.toISOString())
      if (backend === 'redis') expect(got.status).toBe('HIT')
    } finally {
      await other.close()
    }
  })

  it('answers STALE with an expired, untouched entry only while the database is down', async () => {
    const short = { namespace: 'customer_vehicles', ttlMs: 30, tags: ['stale:1'] }
    const down = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })
    await t.cache.getOrSet('k_stale', async () => 'v1', short)
    await new Promise((r) => setTimeout(r, 60))
    const failing = async (): Promise<string> => {
      throw down
    }
    expect(await t.cache.getOrSet('k_stale', failing, short)).toEqual({ value: 'v1', status: 'STALE' })
    // A bug is not an outage: other errors propagate.
    await expect(t.cache.getOrSet('k_stale', async () => Promise.reject(new Error('bug')), short)).rejects.toThrow('bug')
    // An entry a write invalidated is never served, not even stale.
    await t.cache.invalidateTags(['stale:1'])
    await expect(t.cache.getOrSet('k_stale', failing, short)).rejects.toBe(down)
  })

  it('CACHE_ENABLED=false bypasses every tier', async () => {
    const off = await makeCache(testDb, { CACHE_ENABLED: 'false', CACHE_PREFIX: uniquePrefix() })
    try {
      let calls = 0
      await off.cache.getOrSet('k', async () => ++calls, opts())
      const second = await off.cache.getOrSet('k', async () => ++calls, opts())
      expect(second).toEqual({ value: 2, status: 'BYPASS' })
      expect(off.cache.health()).toBe('disabled')
    } finally {
      await off.close()
    }
  })
})
