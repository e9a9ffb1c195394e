import type { Redis } from 'ioredis'
import { pino } from 'pino'
import type { Actor } from '../../platform/auth/principal.ts'
import { loadCacheIdentity } from '../../platform/cache/cache-identity.ts'
import { createCache } from '../../platform/cache/create-cache.ts'
import { createRedis } from '../../platform/cache/redis-connection.ts'
import type { TieredCache } from '../../platform/cache/tiered-cache.ts'
import type { Config } from '../../platform/config.ts'
import type { Database } from '../../platform/db/database.ts'
import { createCacheAdmin, type CacheStats } from '../../modules/admin/index.ts'
import { createCustomersService, listCustomers } from '../../modules/customers/index.ts'
import { MODULES } from '../../modules/index.ts'
import { createAccountEvents } from '../../modules/users/index.ts'
import { declaredCache } from '../../platform/registry/registry-views.ts'
import { cachelessWriter, withDatabase } from '../cli-database.ts'
import { CliError } from '../cli-error.ts'

/** The CLI's own connection to the configured cache, as a server instance would open it. */
async function withCache<T>(config: Config, work: (cache: TieredCache, database: Database, redis: Redis | undefined) => Promise<T>): Promise<T> {
  return withDatabase(config, async (database) => {
    // The same identity as the servers: the same key root, the same secret, the same bus channel.
    // Read before Redis is opened, so that its failure leaves no connection holding the process.
    const identity = await loadCacheIdentity(database.db, config)
    const redis = config.redisUrl ? createRedis(config, 'command', () => {}) : undefined
    if (redis) {
      try {
        await redis.connect()
      } catch (error) {
        redis.disconnect()
        throw new CliError(`Cannot reach Redis: ${(error as Error).message}`)
      }
    }
    const cache = createCache({ config, database, redis, log: pino({ level: 'silent' }), identity })
    cache.declareNamespaces(...declaredCache(MODULES).namespaces.map((namespace) => namespace.name))
    // The cache reads Redis's run_id when the connection is ready and counts as degraded until it has:
    // asked at once, a healthy Redis looked degraded, and until then every read is a miss that stores
    // nothing (a warm-up on a busy machine would load every customer for nothing).
    const deadline = Date.now() + config.redis.connectTimeoutMs + config.redis.commandTimeoutMs * 2 + 200
    while (redis && cache.health() === 'degraded' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10))
    try {
      return await work(cache, database, redis)
    } finally {
      await cache.close()
      redis?.disconnect()
    }
  })
}

const pad = (text: string | number, width: number) => String(text).padEnd(width)
const percent = (ratio: number) => `${(ratio * 100).toFixed(1)} %`

/** Renders the stats as a readable table. */
export function formatStats(stats: CacheStats): string[] {
  const lines = [`backend ${stats.backend} (${stats.health}), keys under ${stats.prefix}:`]
  if (stats.redis) {
    const r = stats.redis
    lines.push(
      `redis ${r.version}, up ${r.uptimeSeconds} s, ${r.connectedClients} clients`,
      `memory ${r.usedMemoryHuman} used, maxmemory ${r.maxmemory === 0 ? 'unlimited' : r.maxmemory} (${r.maxmemoryPolicy})`,
      `server-wide hit ratio ${percent(r.hitRatio)} (${r.keyspaceHits} hits, ${r.keyspaceMisses} misses; every client, EXISTS/TTL/TYPE included)`,
    )
  } else if (stats.redisError) lines.push(`redis unreachable: ${stats.redisError}`)
  lines.push('', `${pad('namespace', 20)}${pad('keys', 10)}${pad('hits', 10)}${pad('misses', 10)}hit ratio`)
  for (const [name, ns] of Object.entries(stats.app.namespaces).sort()) {
    lines.push(`${pad(name, 20)}${pad(ns.keys, 10)}${pad(ns.hits, 10)}${pad(ns.misses, 10)}${percent(ns.hitRatio)}`)
  }
  if (!stats.app.keysComplete) lines.push('(key counts are partial: counting stopped at its time budget)')
  lines.push('', 'hits and misses are those of this command only: a running server reports its own at GET /api/admin/cache/stats.')
  return lines
}

/** `ecar cache stats`. */
export async function cacheStatsCommand(config: Config, out: (line: string) => void): Promise<void> {
  if (!config.redisUrl) {
    // Nothing to open: the figures are the server's, and on the embedded database it holds the data folder.
    out('No REDIS_URL: the memory cache lives inside each server process; ask the running server: GET /api/admin/cache/stats (as an admin).')
    return
  }
  await withCache(config, async (cache, _database, redis) => {
    const stats = await createCacheAdmin({ cache, redis, log: pino({ level: 'silent' }) }).stats()
    for (const line of formatStats(stats)) out(line)
  })
}

/** `ecar cache clear [--pattern P]`: SCAN + UNLINK, and every running instance drops its L1 entries. */
export async function cacheClearCommand(config: Config, pattern: string | undefined, out: (line: string) => void): Promise<void> {
  if (pattern !== undefined && pattern.length === 0) throw new CliError('--pattern must not be empty.')
  // Without Redis the entries live in the server's memory, out of this process's reach: "Cleared 0" would mislead.
  if (!config.redisUrl) {
    throw new CliError(
      'cache clear needs REDIS_URL: a memory cache lives inside each server process. Clear it through the running server ' +
        '(DELETE /api/admin/cache as an admin), or restart the server, which starts with an empty cache.',
    )
  }
  await withCache(config, async (cache) => {
    const started = performance.now()
    const deleted = await cache.clear(pattern)
    out(`Cleared ${deleted} ${cache.backend === 'redis' ? 'Redis keys' : 'entries'} matching ${pattern ?? '*'} in ${Math.round(performance.now() - started)} ms.`)
  })
}

// Staff identity for the warm-up: it reads every customer's list as the front desk would.
const WARMER: Actor = { userId: 0, role: 'admin', grant: 'any', email: 'cli@ecar', name: 'ecar cache warm', sessionId: '' }

/** `ecar cache warm`: loads `customer_vehicles_<id>` of every customer, with a progress bar. */
export async function cacheWarmCommand(config: Config, out: (line: string) => void, progress: (text: string) => void): Promise<void> {
  if (!config.redisUrl) throw new CliError('cache warm needs REDIS_URL: a memory cache lives inside each server process.')
  await withCache(config, async (cache, database) => {
    const customers = createCustomersService({ db: database.db, writer: cachelessWriter(database), cache, config, events: createAccountEvents() })
    const ids: number[] = []
    for (let afterId = 0; ; ) {
      const page = await listCustomers(database.db, { afterId, limit: 1000 })
      ids.push(...page.map((c) => c.id))
      if (page.length < 1000) break
      afterId = page[page.length - 1]!.id
    }
    const started = performance.now()
    const tally = { warmed: 0, alreadyCached: 0, failed: 0 }
    for (let i = 0; i < ids.length; i += 50) {
      const results = await Promise.allSettled(ids.slice(i, i + 50).map((id) => customers.vehicles(WARMER, id)))
      for (const result of results) {
        if (result.status === 'rejected') tally.failed++
        else if (result.value.status === 'HIT') tally.alreadyCached++
        else tally.warmed++
      }
      const done = Math.min(i + 50, ids.length)
      const width = 30
      const filled = Math.round((done / Math.max(1, ids.length)) * width)
      progress(`\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${ids.length} customers`)
    }
    progress('\n')
    out(
      `Warmed customer_vehicles for ${ids.length} customers in ${Math.round(performance.now() - started)} ms: ` +
        `${tally.warmed} loaded, ${tally.alreadyCached} already cached, ${tally.failed} failed.`,
    )
    if (tally.failed > 0) throw new CliError(`${tally.failed} customers could not be warmed.`)
  })
}
