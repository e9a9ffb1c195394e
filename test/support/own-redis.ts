import { buildTestApp, createTestDatabase, type TestApp, type TestDatabase } from './app.ts'
import { eventually, nextTurn } from './cache.ts'
import { spawnRedis, type SpawnedRedis } from './services.ts'

/** Two app instances on one new PostgreSQL database and a Redis of their own, which a test may pause. */
export interface TwoInstancesOwnRedis {
  a: TestApp
  b: TestApp
  redis: SpawnedRedis
  close(): Promise<void>
}

/** Builds two instances on a spawned redis-server (fail-fast settings, so a paused Redis costs 300 ms, not minutes). */
export async function buildTwoInstancesOwnRedis(prefix: string): Promise<TwoInstancesOwnRedis> {
  const redis = await spawnRedis()
  const testDb: TestDatabase = await createTestDatabase('postgres')
  const env = { REDIS_URL: redis.url, CACHE_PREFIX: `${prefix}-${process.pid}`, REDIS_COMMAND_TIMEOUT_MS: '300', CACHE_BREAKER_MS: '500' }
  const a = await buildTestApp({ testDb, env })
  const b = await buildTestApp({ testDb, env })
  return {
    a,
    b,
    redis,
    async close() {
      await a.close()
      await b.close()
      await redis.stop()
      await testDb.drop()
    },
  }
}

/**
 * Runs `round` with Redis up, then again with it paused (and waits until both caches are up again):
 * each round writes on one instance and reads on the other; it gets `paused` to know which it is in.
 */
export async function upThenPaused(both: TwoInstancesOwnRedis, round: (paused: boolean) => Promise<void>): Promise<void> {
  await round(false)
  both.redis.pause()
  try {
    await round(true)
  } finally {
    both.redis.resume()
  }
  await eventually(() => both.a.app.cache.health() === 'up' && both.b.app.cache.health() === 'up', 10_000, 'caches up again')
  await nextTurn()
}
