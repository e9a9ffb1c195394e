import { getHeapStatistics } from 'node:v8'
import type { FastifyBaseLogger } from 'fastify'
import type { Redis } from 'ioredis'
import type { Config } from '../config.ts'
import type { Database } from '../db/database.ts'
import { Breaker } from './breaker.ts'
import type { CacheIdentity } from './cache-identity.ts'
import { MessageSeal, type InvalidationMessage } from './invalidation-message.ts'
import { KeySpace } from './key-space.ts'
import { L1, heapBytes } from './l1.ts'
import { PgFeed, notify } from './pg-feed.ts'
import { RedisBus } from './redis-bus.ts'
import { createRedis } from './redis-connection.ts'
import { RedisStore } from './redis-store.ts'
import { TieredCache } from './tiered-cache.ts'
import { isDatabaseUnavailable } from '../db/db-errors.ts'
import { AppError } from '../http/errors.ts'

/**
 * Assembles the cache from settings: REDIS_URL set → L1 + Redis + pub/sub bus; unset → the memory
 * tier alone. On PostgreSQL (where other instances may share the database) LISTEN/NOTIFY is a
 * second invalidation path that works while Redis is down.
 */
export function createCache(deps: {
  config: Config
  database: Database
  redis: Redis | undefined
  log: FastifyBaseLogger
  /** The deployment id and secret from the database (`loadCacheIdentity`). */
  identity: CacheIdentity
  /** Namespaces whose entries get an LRU of their own in the in-process tier (see `L1`). */
  reservedL1?: readonly ReservedL1[]
}): TieredCache {
  const { config, database, redis, log, identity } = deps
  const keys = new KeySpace(config.cache.prefix, config.cache.version, identity.deploymentId)
  const multiInstance = database.kind === 'postgres'
  const l1 = config.cache.l1MaxEntries > 0 || !redis ? createL1(config.cache, deps.reservedL1 ?? [], log) : undefined

  // The invalidation paths are built before the cache they feed; they reach it through this holder.
  const ref: { cache?: TieredCache; closing?: boolean } = {}
  const handlers = (viaDatabase: boolean) => ({
    onMessage: (message: InvalidationMessage) => ref.cache?.receive(message, viaDatabase),
    onUp: () => ref.cache?.resync(),
    // Closing the paths ourselves is not losing them: that line is what operators look for when data is stale.
    onDown: () => {
      if (!ref.closing) log.warn({ path: viaDatabase ? 'postgres' : 'redis' }, 'cache invalidation path lost')
    },
  })

  const rejected = rejectionCounter(ref, log)
  let subscriber: Redis | undefined
  let bus: RedisBus | undefined
  if (redis && config.cache.enabled) {
    subscriber = createRedis(config, 'subscriber', (error) => log.debug({ err: error.message }, 'redis subscriber error'))
    bus = new RedisBus(redis, subscriber, keys.channel, new MessageSeal(identity.seal, keys.channel, keys.root, rejected), handlers(false))
  }
  const pgSeal = new MessageSeal(identity.seal, `${keys.root}#pg`, keys.root, rejected, false)
  const feed = multiInstance && database.url && config.cache.enabled ? new PgFeed(database.url, pgSeal, handlers(true)) : undefined

  const cache = new TieredCache({
    enabled: config.cache.enabled,
    keys,
    l1,
    shared: redis ? { store: new RedisStore(redis, keys, identity.seal, rejected), breaker: new Breaker(config.redis.breakerMs, () => redis.status === 'ready') } : undefined,
    multiInstance,
    channels: {
      listening: () => Boolean(bus?.healthy || feed?.healthy),
      publish: async (message) => (bus ? bus.publish(message) : true),
      notify: async (executor, message) => {
        if (multiInstance) await notify(executor ?? database.db, message, pgSeal)
      },
    },
    holdMs: config.redis.commandTimeoutMs * 2 + 200,
    staleGraceMs: config.cache.staleIfErrorMs,
    isUnavailable: (error) => isDatabaseUnavailable(error) || (error instanceof AppError && error.status === 503),
    lockWaitMs: 500,
    log,
    close: async () => {
      ref.closing = true
      bus?.close()
      await feed?.close()
    },
  })
  ref.cache = cache
  if (redis) {
    const readRunId = () => {
      cache.redisConnected()
      redis
        .info('server')
        .then((info) => cache.redisReady(/run_id:(\w+)/.exec(info)?.[1]))
        .catch(() => cache.redisReady(undefined))
    }
    redis.on('ready', readRunId)
    if (redis.status === 'ready') readRunId()
  }
  bus?.start()
  feed?.start()
  return cache
}

/** How often a kind of refused entry or message is logged at most (each is counted every time). */
const REJECTION_LOG_MS = 60_000

/**
 * Counts what the cache refused to trust and logs it at most once a minute per reason: someone
 * other than ECAR writes this deployment's keys in Redis (or its secret changed without
 * CACHE_SECRET_PREVIOUS), and a flood of forgeries must not become a flood of log lines.
 */
function rejectionCounter(ref: { cache?: TieredCache }, log: FastifyBaseLogger) {
  const lastLogged = new Map<string, number>()
  const since = new Map<string, number>()
  return (reason: string) => {
    ref.cache?.stats.reject(reason)
    since.set(reason, (since.get(reason) ?? 0) + 1)
    const now = Date.now()
    if (now - (lastLogged.get(reason) ?? 0) < REJECTION_LOG_MS) return
    lastLogged.set(reason, now)
    log.warn({ reason, count: since.get(reason) }, 'cache refused an entry or message that does not verify: something other than ECAR writes its Redis keys')
    since.set(reason, 0)
  }
}

/** A namespace kept apart in the in-process tier: up to `maxEntries` entries of ~`encodedBytes` each. */
export interface ReservedL1 {
  namespace: string
  maxEntries: number
  encodedBytes: number
}

/**
 * The in-process tier: the main LRU bounded by CACHE_L1_MAX_ENTRIES / CACHE_L1_MAX_BYTES, and one LRU
 * per reserved namespace sized for its entries. All of it together is held to the byte budget below;
 * when it does not fit, every part shrinks in proportion.
 */
export function createL1(
  settings: Pick<Config['cache'], 'l1MaxEntries' | 'l1MaxBytes'>,
  reserved: readonly ReservedL1[],
  log: Pick<FastifyBaseLogger, 'warn'>,
  heapLimit?: number,
): L1 {
  const parts = reserved.filter((r) => r.maxEntries > 0).map((r) => ({ ...r, maxBytes: r.maxEntries * heapBytes(r.encodedBytes) }))
  const wanted = settings.l1MaxBytes + parts.reduce((sum, p) => sum + p.maxBytes, 0)
  const scale = wanted > 0 ? l1ByteBudget(wanted, log, heapLimit) / wanted : 1
  return new L1({
    maxEntries: Math.max(1, settings.l1MaxEntries),
    maxBytes: Math.max(1024, Math.floor(settings.l1MaxBytes * scale)),
    reserved: parts.map((p) => ({ prefix: `${p.namespace}_`, maxEntries: p.maxEntries, maxBytes: Math.floor(p.maxBytes * scale) })),
  })
}

/**
 * The in-process tier's byte budget, held to a third of the V8 heap limit (--max-old-space-size):
 * a cache setting larger than the heap allows would end the process out of memory under load
 * instead of evicting. The rest of the heap is for requests in flight and the app itself.
 */
export function l1ByteBudget(configured: number, log: Pick<FastifyBaseLogger, 'warn'>, heapLimit = getHeapStatistics().heap_size_limit): number {
  const ceiling = Math.floor(heapLimit / 3)
  if (configured <= ceiling) return Math.max(1024, configured)
  log.warn(
    { configuredBytes: configured, budgetBytes: ceiling, heapLimitBytes: heapLimit },
    'CACHE_L1_MAX_BYTES and the session lookups kept apart (CACHE_L1_SESSIONS) come to more than a third of the V8 heap limit: the in-process cache is held to a third',
  )
  return ceiling
}
