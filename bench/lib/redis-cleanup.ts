import { Redis } from 'ioredis'
import { unlinkMatching } from '../../src/platform/cache/redis-store.ts'

/** The bench's own Redis database: every server under test keeps its cache here, under a prefix of its own. */
export const BENCH_REDIS_URL = 'redis://127.0.0.1:6379/13'

/**
 * Removes the keys of one bench run (a glob on its cache prefixes, e.g. `bench-prof-abc*`) from the
 * bench's Redis database: SCAN + UNLINK, never FLUSHDB, so whatever else is there stays.
 * Returns how many keys went.
 */
export async function removeBenchKeys(pattern: string): Promise<number> {
  if (!pattern.startsWith('bench-')) throw new Error(`refusing to remove keys outside the bench's prefixes: ${pattern}`)
  const redis = new Redis(BENCH_REDIS_URL, { lazyConnect: true })
  await redis.connect()
  try {
    return await unlinkMatching(redis, pattern, { batch: 1000 })
  } finally {
    await redis.quit()
  }
}
