import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deferred, eventually } from '../../../test/support/cache.ts'
import type { CacheEntryOptions } from './cache.types.ts'
import type { TieredCache } from './tiered-cache.ts'

/** One cache setup under test, and how to release it. */
export interface ContractSetup {
  cache: TieredCache
  close(): Promise<void>
}

const opts = (tags: string[], ttlMs = 60_000): CacheEntryOptions => ({ namespace: 'contract', ttlMs, tags })

/**
 * Defines the behaviour every cache setup must show (memory only, L1 + Redis, Redis alone), in the
 * manner of BentoCache's driver test suite: the same tests, run once per setup by the files that
 * import this. Each test uses keys and tags of its own, so the tests do not depend on their order.
 */
export function defineCacheContract(name: string, setup: () => Promise<ContractSetup>): void {
  describe(`cache contract: ${name}`, () => {
    let s: ContractSetup
    let cache: TieredCache
    beforeAll(async () => {
      s = await setup()
      cache = s.cache
      // On PostgreSQL the L1 answers only once an invalidation path is live.
      await eventually(() => cache.health() === 'up' && (cache.l1 === undefined || cache.useL1()), 5000, 'cache ready')
    })
    afterAll(async () => {
      await s?.close()
    })

    it('getOrSet caches: the second call is a HIT and the loader ran once', async () => {
      let calls = 0
      const loader = async () => ({ n: ++calls })
      expect(await cache.getOrSet('c_hit', loader, opts(['c:hit']))).toEqual({ value: { n: 1 }, status: 'MISS' })
      expect(await cache.getOrSet('c_hit', loader, opts(['c:hit']))).toEqual({ value: { n: 1 }, status: 'HIT' })
      expect(calls).toBe(1)
    })

    it('caches empty results ([], null, 0, "") like any other', async () => {
      let calls = 0
      for (const [i, empty] of [[], null, 0, ''].entries()) {
        const loader = async () => (calls++, empty)
        await cache.getOrSet(`c_empty_${i}`, loader, opts(['c:empty']))
        expect(await cache.getOrSet(`c_empty_${i}`, loader, opts(['c:empty']))).toEqual({ value: empty, status: 'HIT' })
      }
      expect(calls).toBe(4)
    })

    it('single flight: 200 concurrent misses on a cold key run the loader once', async () => {
      let calls = 0
      const loader = async () => {
        calls++
        await new Promise((r) => setTimeout(r, 50))
        return ['x']
      }
      const results = await Promise.all(Array.from({ length: 200 }, () => cache.getOrSet('c_flight', loader, opts(['c:flight']))))
      expect(calls).toBe(1)
      expect(results.every((r) => r.value[0] === 'x')).toBe(true)
    })

    it('an invalidated tag drops every entry carrying it, and only those', async () => {
      await cache.getOrSet('c_tag_a1', async () => 'a1', opts(['c:tag:a']))
      await cache.getOrSet('c_tag_a2', async () => 'a1', opts(['c:tag:a', 'c:tag:other']))
      await cache.getOrSet('c_tag_b', async () => 'b1', opts(['c:tag:b']))
      await cache.invalidateTags(['c:tag:a'])
      expect(await cache.getOrSet('c_tag_a1', async () => 'a2', opts(['c:tag:a']))).toEqual({ value: 'a2', status: 'MISS' })
      expect(await cache.getOrSet('c_tag_a2', async () => 'a2', opts(['c:tag:a', 'c:tag:other']))).toEqual({ value: 'a2', status: 'MISS' })
      expect(await cache.getOrSet('c_tag_b', async () => 'b2', opts(['c:tag:b']))).toEqual({ value: 'b1', status: 'HIT' })
    })

    it('peek answers a fresh value or nothing, never one an invalidation retired', async () => {
      await cache.getOrSet('c_peek', async () => 'p1', opts(['c:peek']))
      expect([undefined, 'p1']).toContain(cache.peek('c_peek', 'contract'))
      if (cache.l1 !== undefined) expect(cache.peek('c_peek', 'contract')).toBe('p1')
      await cache.invalidateTags(['c:peek'])
      expect(cache.peek('c_peek', 'contract')).toBeUndefined()
    })

    it('stale-set protection: a load that began before a write cannot store its old value after it', async () => {
      const readV1 = deferred()
      const release = deferred()
      const slow = cache.getOrSet(
        'c_race',
        async () => {
          readV1.resolve() // the loader has read v1 from the "database"
          await release.promise // …and stalls while the write commits and invalidates
          return 'v1'
        },
        opts(['c:race']),
      )
      await readV1.promise
      await cache.invalidateTags(['c:race'])
      release.resolve()
      expect((await slow).value).toBe('v1')
      expect(await cache.getOrSet('c_race', async () => 'v2', opts(['c:race']))).toEqual({ value: 'v2', status: 'MISS' })
    })

    it('a caller after an invalidation does not join a load that began before it', async () => {
      const release = deferred()
      let calls = 0
      const first = cache.getOrSet('c_join', async () => (calls++, await release.promise, 'old'), opts(['c:join']))
      await eventually(() => calls === 1)
      await cache.invalidateTags(['c:join'])
      const second = cache.getOrSet('c_join', async () => (calls++, 'new'), opts(['c:join']))
      release.resolve()
      expect((await first).value).toBe('old')
      expect((await second).value).toBe('new')
    })

    it('an entry expires after its TTL: the next read loads again', async () => {
      let calls = 0
      const loader = async () => ++calls
      await cache.getOrSet('c_ttl', loader, opts(['c:ttl'], 40))
      expect(await cache.getOrSet('c_ttl', loader, opts(['c:ttl'], 40))).toEqual({ value: 1, status: 'HIT' })
      await new Promise((r) => setTimeout(r, 80))
      expect(cache.peek('c_ttl', 'contract')).toBeUndefined()
      expect(await cache.getOrSet('c_ttl', loader, opts(['c:ttl'], 40))).toEqual({ value: 2, status: 'MISS' })
    })

    it('answers STALE with an expired, untouched entry only while the database is down', async () => {
      const down = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })
      const failing = async (): Promise<string> => Promise.reject(down)
      await cache.getOrSet('c_stale', async () => 'v1', opts(['c:stale'], 30))
      await new Promise((r) => setTimeout(r, 60))
      expect(await cache.getOrSet('c_stale', failing, opts(['c:stale'], 30))).toEqual({ value: 'v1', status: 'STALE' })
      await expect(cache.getOrSet('c_stale', async () => Promise.reject(new Error('bug')), opts(['c:stale'], 30))).rejects.toThrow('bug')
      await cache.invalidateTags(['c:stale'])
      await expect(cache.getOrSet('c_stale', failing, opts(['c:stale'], 30))).rejects.toBe(down)
    })

    it('clear(pattern) removes the matching entries and keeps the others', async () => {
      for (const key of ['c_clr_a_1', 'c_clr_a_2', 'c_clr_b_1']) await cache.getOrSet(key, async () => 'old', opts(['c:clr']))
      expect(await cache.clear('c_clr_a_*')).toBe(2)
      expect(await cache.getOrSet('c_clr_a_1', async () => 'new', opts(['c:clr']))).toEqual({ value: 'new', status: 'MISS' })
      expect(await cache.getOrSet('c_clr_a_2', async () => 'new', opts(['c:clr']))).toEqual({ value: 'new', status: 'MISS' })
      expect(await cache.getOrSet('c_clr_b_1', async () => 'new', opts(['c:clr']))).toEqual({ value: 'old', status: 'HIT' })
    })

    it('clear() removes every entry', async () => {
      await cache.getOrSet('c_all_1', async () => 'old', opts(['c:all']))
      await cache.getOrSet('c_all_2', async () => 'old', opts(['c:all2']))
      await cache.clear()
      expect(await cache.getOrSet('c_all_1', async () => 'new', opts(['c:all']))).toEqual({ value: 'new', status: 'MISS' })
      expect(await cache.getOrSet('c_all_2', async () => 'new', opts(['c:all2']))).toEqual({ value: 'new', status: 'MISS' })
    })
  })
}
