import type { Executor } from '../db/database.ts'
import type { AppCache, CacheEntryOptions, CacheLookup, CacheResult } from './cache.types.ts'
import { CacheClearing } from './cache-clear.ts'
import { CacheCore, type TieredCacheParts } from './cache-core.ts'
import type { CacheStats } from './cache-stats.ts'
import { EpochGuard } from './epoch-guard.ts'
import { Invalidation } from './invalidation.ts'
import type { InvalidationMessage } from './invalidation-message.ts'
import type { KeySpace } from './key-space.ts'
import type { L1 } from './l1.ts'
import { ReadPath } from './read-path.ts'
import { WriteRepair } from './write-repair.ts'

/**
 * The two-tier cache: a bounded in-process L1 in front of Redis (L2), or the L1 alone on the memory
 * backend. Reads never fail because of the cache: Redis errors open a breaker and the caller's loader
 * (the database) answers instead.
 *
 * Freshness rests on tag tokens. Every entry records the token of each of its tags as they were when
 * its lookup began; a write gives its tags new tokens; an entry whose tokens differ from the current
 * ones is a miss. So an invalidation needs no list of keys, and a loader that read the database
 * before a write cannot store its old value after the write's invalidation (the stale-set race).
 *
 * This class only composes the parts, each in its own file: the read path and single flight
 * (read-path.ts, single-flight.ts), invalidation (invalidation.ts), the repair of another instance's
 * unfinished write (write-repair.ts), epoch and run id (epoch-guard.ts), and clearing (cache-clear.ts).
 */
export class TieredCache implements AppCache {
  readonly backend: 'redis' | 'memory'
  readonly enabled: boolean
  readonly stats: CacheStats
  readonly instanceId: string
  private readonly core: CacheCore
  private readonly guard: EpochGuard
  private readonly reads: ReadPath
  private readonly repair: WriteRepair
  private readonly clearing: CacheClearing
  private readonly invalidation: Invalidation

  constructor(private readonly parts: TieredCacheParts) {
    this.backend = parts.shared ? 'redis' : 'memory'
    this.enabled = parts.enabled
    this.core = new CacheCore(parts)
    this.stats = this.core.stats
    this.instanceId = this.core.instanceId
    this.guard = new EpochGuard(this.core)
    this.reads = new ReadPath(this.core, this.guard)
    this.repair = new WriteRepair(this.core, this.guard)
    this.clearing = new CacheClearing(this.core)
    this.invalidation = new Invalidation(this.core, this.guard, this.repair, this.clearing)
  }

  /** Namespaces declared by the modules or seen in lookups, for stats and metrics. */
  get knownNamespaces(): string[] {
    return [...this.core.namespaces]
  }

  /** Names the namespaces a module caches in, so stats count their keys before any lookup. */
  declareNamespaces(...namespaces: string[]): void {
    for (const namespace of namespaces) this.core.namespaces.add(namespace)
  }

  /**
   * Entries per namespace: in Redis counted with SCAN for at most `budgetMs` (`complete` says
   * whether it finished), on the memory backend from the L1.
   */
  async countKeys(budgetMs: number): Promise<{ counts: Record<string, number>; complete: boolean }> {
    const namespaces = this.knownNamespaces
    const shared = this.parts.shared
    if (shared) return shared.store.countByNamespace(namespaces, budgetMs)
    return { counts: this.parts.l1?.countByPrefix(namespaces) ?? {}, complete: true }
  }

  /** The in-process tier, if any. */
  get l1(): L1 | undefined {
    return this.parts.l1
  }

  /** Where this deployment's keys live in Redis. */
  get keys(): KeySpace {
    return this.parts.keys
  }

  health(): 'up' | 'degraded' | 'disabled' {
    if (!this.enabled) return 'disabled'
    const shared = this.parts.shared
    if (!shared) return 'up'
    const unsettled = this.guard.unsettled()
    return shared.breaker.isOpen || unsettled ? 'degraded' : 'up'
  }

  peek<T>(key: string, namespace: string): T | undefined {
    if (!this.enabled || !this.core.useL1()) return undefined
    const entry = this.parts.l1!.get(key)
    // Expired entries (kept for stale-if-error) take the full path, which consults Redis.
    if (entry === undefined || entry.expiresAt <= Date.now()) return undefined
    this.stats.count(namespace, 'hits')
    return entry.value as T
  }

  lookup<T>(key: string, options: CacheEntryOptions): Promise<CacheLookup<T>> {
    return this.reads.lookup(key, options)
  }

  getOrSet<T>(key: string, loader: () => Promise<T>, options: CacheEntryOptions): Promise<CacheResult<T>> {
    return this.reads.getOrSet(key, loader, options)
  }

  /**
   * Runs `work` once per key in this process: callers that come while it runs share its result
   * (`joined`). An invalidation of any of `tags` detaches the running work, so callers after a write
   * never share a load that began before it.
   */
  singleFlight<T>(key: string, tags: readonly string[], work: () => Promise<T>): Promise<{ value: T; joined: boolean }> {
    return this.core.flights.run(key, tags, work)
  }

  /** The stale value a failed load may answer with (see `ReadPath.staleFor`). */
  staleFor<T>(found: CacheLookup<T>, error: unknown, options: CacheEntryOptions): { value: T } | undefined {
    return this.reads.staleFor(found, error, options)
  }

  /** Announces a write's tags to the other instances inside its transaction (delivered at commit). */
  announce(executor: Executor, tags: readonly string[], writeId?: string): Promise<void> {
    return this.invalidation.announce(executor, tags, writeId)
  }

  invalidateTags(tags: readonly string[], writeId?: string): Promise<void> {
    return this.invalidation.invalidateTags(tags, writeId)
  }

  /** Applies a message from another instance. `viaDatabase` messages may precede that instance's Redis bump. */
  receive(message: InvalidationMessage, viaDatabase: boolean): void {
    this.invalidation.receive(message, viaDatabase)
  }

  /** Called whenever the command connection becomes ready, with Redis's `run_id` (see `EpochGuard.redisReady`). */
  redisReady(runId: string | undefined): void {
    this.guard.redisReady(runId)
  }

  /**
   * Called the moment the command connection becomes ready, before its run_id is known: until
   * `redisReady` has compared it, a restored server's old entries could pass for fresh.
   */
  redisConnected(): void {
    this.guard.redisConnected()
  }

  /**
   * Retires every entry in Redis when an instance starts: a process killed between a write's commit
   * and its Redis invalidation left entries that no tag change will ever touch. Done before the
   * instance serves; if Redis is not reachable yet, it happens before Redis is first read.
   */
  async retireOnStart(): Promise<void> {
    if (!this.enabled || !this.parts.shared) return
    this.guard.markBumpPending()
    await this.guard.repair()
  }

  /** Empties the L1 after an invalidation path came back: what it missed meanwhile is unknown. */
  resync(): void {
    this.parts.l1?.clear()
    this.core.flights.clear()
  }

  /** Removes every entry, or those whose logical key matches a Redis glob, everywhere (see `CacheClearing.clear`). */
  clear(pattern?: string): Promise<number> {
    return this.clearing.clear(pattern)
  }

  async close(): Promise<void> {
    this.repair.close()
    await this.parts.close()
    this.parts.l1?.clear()
  }

  /** Whether the L1 may answer now: false on PostgreSQL while no invalidation path is live. */
  useL1(): boolean {
    return this.core.useL1()
  }
}
