import type { FastifyBaseLogger } from 'fastify'
import type { Redis } from 'ioredis'
import { CacheStats as Counters } from '../../platform/cache/cache-stats.ts'
import type { TieredCache } from '../../platform/cache/tiered-cache.ts'
import type { CacheStats } from './admin.schemas.ts'
import { readRedisFigures } from './redis-info.ts'

// Counting keys with SCAN is bounded: a huge Redis must not make the stats call slow.
const KEY_COUNT_BUDGET_MS = 250

/** Cache monitoring and clearing for admins. */
export function createCacheAdmin(deps: { cache: TieredCache; redis: Redis | undefined; log: FastifyBaseLogger }) {
  const { cache, redis } = deps
  return {
    /** Redis's own figures beside this instance's counters (INFO's are server-wide). */
    async stats(): Promise<CacheStats> {
      const stats: CacheStats = {
        backend: cache.backend,
        health: cache.health(),
        // The configured part of the root; the deployment id after it comes from the database.
        prefix: `${cache.keys.prefix}:v${cache.keys.version}`,
        app: { hits: 0, misses: 0, stale: 0, errors: 0, hitRatio: 0, namespaces: {}, keysComplete: true, l1: { entries: 0, bytes: 0 } },
      }
      if (redis) {
        try {
          stats.redis = await readRedisFigures(redis)
        } catch (error) {
          stats.redisError = (error as Error).message
        }
      }
      const keys = await cache.countKeys(KEY_COUNT_BUDGET_MS).catch(() => ({ counts: {} as Record<string, number>, complete: false }))
      const total = cache.stats.total
      stats.app = {
        ...total,
        hitRatio: Counters.ratio(total),
        namespaces: {},
        keysComplete: keys.complete,
        l1: { entries: cache.l1?.size ?? 0, bytes: cache.l1?.bytes ?? 0 },
      }
      for (const namespace of new Set([...cache.knownNamespaces, ...cache.stats.byNamespace.keys()])) {
        const counters = cache.stats.byNamespace.get(namespace) ?? { hits: 0, misses: 0, stale: 0, errors: 0 }
        stats.app.namespaces[namespace] = { ...counters, hitRatio: Counters.ratio(counters), keys: keys.counts[namespace] ?? 0 }
      }
      return stats
    },

    /** Clears this deployment's entries (or those matching a glob) everywhere; logs who and how many. */
    async clear(pattern: string | undefined, actor: { userId: number; email: string }): Promise<number> {
      const started = performance.now()
      const deleted = await cache.clear(pattern)
      deps.log.info(
        { actor: actor.userId, actorEmail: actor.email, pattern: pattern ?? '*', deleted, ms: Math.round(performance.now() - started) },
        'cache cleared',
      )
      return deleted
    },
  }
}
