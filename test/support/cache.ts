import { pino } from 'pino'
import type { Redis } from 'ioredis'
import { loadCacheIdentity } from '../../src/platform/cache/cache-identity.ts'
import { createCache } from '../../src/platform/cache/create-cache.ts'
import { createRedis } from '../../src/platform/cache/redis-connection.ts'
import type { TieredCache } from '../../src/platform/cache/tiered-cache.ts'
import type { Config } from '../../src/platform/config.ts'
import { deleteRedisPrefix, testConfig, type TestDatabase } from './app.ts'

/** A cache instance as an app would build it, on a test database, with its own Redis connections. */
export interface TestCache {
  cache: TieredCache
  redis: Redis | undefined
  config: Config
  close(): Promise<void>
}

/** Builds a cache like the app's; instances given the same CACHE_PREFIX share Redis entries. */
export async function makeCache(testDb: TestDatabase, env: Record<string, string | undefined> = {}): Promise<TestCache> {
  const config = testConfig({ DATABASE_URL: testDb.url, ...env })
  let redis: Redis | undefined
  if (config.redisUrl) {
    redis = createRedis(config, 'command', () => {})
    await redis.connect().catch(() => {})
  }
  const identity = await loadCacheIdentity(testDb.database.db, config)
  const cache = createCache({ config, database: testDb.database, redis, log: pino({ level: 'silent' }), identity })
  await cache.retireOnStart()
  return {
    cache,
    redis,
    config,
    async close() {
      await cache.close()
      redis?.disconnect()
    },
  }
}

/** Resolves once `check` holds, polling; throws after timeoutMs. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await check()) return
    await new Promise((r) => setTimeout(r, 10))
  }
  throw new Error(`timed out waiting for ${what}`)
}

/** Deletes a test prefix's keys from the Redis the tests use. */
export async function dropPrefix(config: Config): Promise<void> {
  if (config.redisUrl) await deleteRedisPrefix(config.redisUrl, config.cache.prefix)
}

/** A promise with its resolve function, to pause a loader at a chosen point. */
export function deferred<T = void>() {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((r) => (resolve = r))
  return { promise, resolve }
}

/**
 * Yields one event-loop turn. Two app instances in one test process share an event loop; a real
 * client's next request reaches another instance only after a network round trip, by which time that
 * instance has read the invalidation already in its socket. Tests of "the next read on another
 * instance" take this turn to model that hop, and no more.
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}
