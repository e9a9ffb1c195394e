import type { Executor } from '../db/database.ts'
import type { ModuleCache } from './module-cache.ts'

/** How a cached read was answered, as sent in `X-Cache`. */
export type CacheStatus = 'HIT' | 'MISS' | 'STALE' | 'BYPASS'

/** Where an entry lives, how long, and which tags invalidate it. */
export interface CacheEntryOptions {
  /** The namespace of the logical key, for TTL settings, stats and metrics (e.g. `customer_vehicles`). */
  namespace: string
  ttlMs: number
  /** Tags a write names to invalidate this entry (e.g. `customer:12:vehicles`). */
  tags: readonly string[]
  /**
   * Keep the entry in this process only, never read it from or write it to Redis: for entries that
   * carry authority (session lookups), which a Redis writer could otherwise roll back to a revoked
   * state (docs/decisions/006-cache-trust.md).
   */
  localOnly?: boolean
}

/** A value and how it was obtained. */
export interface CacheResult<T> {
  value: T
  status: CacheStatus
}

/**
 * The answer to a lookup. On a miss, `commit` stores the value the caller computed; it stores
 * nothing if any of the entry's tags was invalidated after the lookup began (the stale-set race).
 */
export interface CacheLookup<T> {
  status: CacheStatus
  value: T | undefined
  /**
   * On a miss, an expired entry that no invalidation has touched, kept for CACHE_STALE_IF_ERROR:
   * to answer with (`X-Cache: STALE`) only when the source of truth is down.
   */
  stale?: { value: T } | undefined
  commit(value: T): Promise<void>
}

/** The application's cache, as platform code sees it: the same semantics on the Redis and the memory backends. */
export interface AppCache extends ModuleCache {
  readonly backend: 'redis' | 'memory'
  /** Looks a key up; on a miss the returned lookup can commit the computed value. Never throws. */
  lookup<T>(key: string, options: CacheEntryOptions): Promise<CacheLookup<T>>
  /**
   * Tells the other instances, inside the write's transaction, which tags it changes (PostgreSQL
   * NOTIFY, delivered at commit): an invalidation path that does not depend on Redis. `writeId`
   * ties the announcement to the write's later `invalidateTags`.
   */
  announce(executor: Executor, tags: readonly string[], writeId?: string): Promise<void>
  /** Invalidates every entry carrying any of these tags, on every instance. Never throws. */
  invalidateTags(tags: readonly string[], writeId?: string): Promise<void>
  /** `up`, `degraded` (Redis unreachable: reads go to the database) or `disabled` (CACHE_ENABLED=false). */
  health(): 'up' | 'degraded' | 'disabled'
  /** Releases connections and timers. */
  close(): Promise<void>
}
