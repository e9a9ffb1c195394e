/** The bench's own Redis database: every server under test keeps its cache here, under a prefix of its own. */
export const BENCH_REDIS_URL = 'redis://127.0.0.1:6379/13'

/**
 * Removes the keys of one bench run (a glob on its cache prefixes, e.g. `bench-prof-abc*`) from the
 * bench's Redis database: SCAN + UNLINK, never FLUSHDB, so whatever else is there stays.
 * Returns how many keys went.
 */
export async function removeBenchKeys(pattern: string, url = BENCH_REDIS_URL): Promise<number> {
  if (!pattern.startsWith('bench-')) throw new Error(`refusing to remove keys outside the bench's prefixes: ${pattern}`)
  const { Redis } = await import('ioredis')
  const redis = new Redis(url, { lazyConnect: true })
  await redis.connect()
  let deleted = 0
  let cursor = '0'
  try {
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000)
      cursor = next
      if (keys.length > 0) deleted += await redis.unlink(...keys)
    } while (cursor !== '0')
  } finally {
    await redis.quit()
  }
  return deleted
}
