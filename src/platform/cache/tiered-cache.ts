import { randomUUID } from 'node:crypto'
import type { FastifyBaseLogger } from 'fastify'
import type { Executor } from '../db/database.ts'
import type { Breaker } from './breaker.ts'
import type { AppCache, CacheEntryOptions, CacheLookup, CacheResult } from './cache.types.ts'
import { CacheStats } from './cache-stats.ts'
import { decodeEntry, encodeEntry } from './codec.ts'
import type { InvalidationMessage } from './invalidation-message.ts'
import { EPOCH_TAG, assertLogicalKey, globMatcher, type KeySpace } from './key-space.ts'
import type { L1 } from './l1.ts'
import type { RedisStore } from './redis-store.ts'

/** What the tiered cache is made of; the factory in create-cache.ts assembles it from settings. */
export interface TieredCacheParts {
  enabled: boolean
  keys: KeySpace
  /** The in-process tier (the only one on the memory backend). */
  l1: L1 | undefined
  /** The shared tier, with its breaker. */
  shared: { store: RedisStore; breaker: Breaker } | undefined
  /** True when other processes may write the same database (PostgreSQL): the L1 then needs a live bus. */
  multiInstance: boolean
  /** How the instance hears about other instances' writes, and tells them about its own. */
  channels: {
    /** Whether a live invalidation path exists (Redis bus or PostgreSQL LISTEN). */
    listening(): boolean
    /** Tells other instances at once (Redis pub/sub); false when Redis did not take it. */
    publish(message: InvalidationMessage): Promise<boolean>
    /** Tells other instances through the database; in a transaction, at commit. */
    notify(executor: Executor | undefined, message: InvalidationMessage): Promise<void>
  }
  /** How long an L1 refuses a tag announced by another instance's commit (covers its Redis bump). */
  holdMs: number
  /** How long a process waits for another process that is loading the same key. */
  lockWaitMs: number
  /** How long past its TTL an entry is kept to be served when the database is down (0: never). */
  staleGraceMs: number
  /** Whether a loader's error means its dependency is down, so a stale entry may answer instead. */
  isUnavailable(error: unknown): boolean
  log: FastifyBaseLogger
  close(): Promise<void>
}

interface InFlight {
  promise: Promise<unknown>
  tags: readonly string[]
}

interface TierRead {
  hit: boolean
  value: unknown
  /** An expired entry that no invalidation has touched: served only if the loader's dependency is down. */
  stale: { value: unknown } | undefined
  /** Tag tokens seen in Redis when the lookup began; undefined when Redis was skipped. */
  tokens: string[] | undefined
  l1Start: number
  useL1: boolean
}

const sameTokens = (a: string[], b: string[]) => a.length === b.length && a.every((t, i) => t === b[i])

/** How many write ids confirmed over Redis before their database announcement are remembered. */
const MAX_EARLY_CONFIRMATIONS = 1000

/**
 * The two-tier cache: a bounded in-process L1 in front of Redis (L2), or the L1 alone on the memory
 * backend. Reads never fail because of the cache: Redis errors open a breaker and the caller's loader
 * (the database) answers instead.
 *
 * Freshness rests on tag tokens. Every entry records the token of each of its tags as they were when
 * its lookup began; a write gives its tags new tokens; an entry whose tokens differ from the current
 * ones is a miss. So an invalidation needs no list of keys, and a loader that read the database
 * before a write cannot store its old value after the write's invalidation (the stale-set race).
 */
export class TieredCache implements AppCache {
  readonly backend: 'redis' | 'memory'
  readonly enabled: boolean
  readonly stats = new CacheStats()
  readonly instanceId = randomUUID()
  private readonly inflight = new Map<string, InFlight>()
  private readonly namespaces = new Set<string>()
  /** Set when an invalidation may not have reached Redis: Redis is skipped until the epoch is bumped. */
  private epochBumpPending = false
  private epochBump: Promise<void> | undefined
  private redisRunId: string | undefined
  /** Set from the moment the connection is ready until its run_id has been compared: Redis is not read meanwhile. */
  private runIdPending = false
  /** Other instances' writes announced through the database whose Redis invalidation has not been seen yet. */
  private readonly unconfirmed = new Map<string, NodeJS.Timeout>()
  /** Write ids whose Redis-side message came before their database announcement (insertion-ordered). */
  private readonly confirmedEarly = new Set<string>()

  constructor(private readonly parts: TieredCacheParts) {
    this.backend = parts.shared ? 'redis' : 'memory'
    this.enabled = parts.enabled
  }

  /** Namespaces declared by the modules or seen in lookups, for stats and metrics. */
  get knownNamespaces(): string[] {
    return [...this.namespaces]
  }

  /** Names the namespaces a module caches in, so stats count their keys before any lookup. */
  declareNamespaces(...namespaces: string[]): void {
    for (const namespace of namespaces) this.namespaces.add(namespace)
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

  get l1(): L1 | undefined {
    return this.parts.l1
  }

  get keys(): KeySpace {
    return this.parts.keys
  }

  health(): 'up' | 'degraded' | 'disabled' {
    if (!this.enabled) return 'disabled'
    const shared = this.parts.shared
    if (!shared) return 'up'
    if (this.epochBumpPending) void this.repairEpoch()
    return shared.breaker.isOpen || this.epochBumpPending || this.runIdPending ? 'degraded' : 'up'
  }

  peek<T>(key: string, namespace: string): T | undefined {
    if (!this.enabled || !this.useL1()) return undefined
    const entry = this.parts.l1!.get(key)
    // Expired entries (kept for stale-if-error) take the full path, which consults Redis.
    if (entry === undefined || entry.expiresAt <= Date.now()) return undefined
    this.stats.count(namespace, 'hits')
    return entry.value as T
  }

  async lookup<T>(key: string, options: CacheEntryOptions): Promise<CacheLookup<T>> {
    if (!this.enabled) return { status: 'BYPASS', value: undefined, commit: async () => {} }
    const read = await this.read(key, options)
    this.stats.count(options.namespace, read.hit ? 'hits' : 'misses')
    if (read.hit) return { status: 'HIT', value: read.value as T, commit: async () => {} }
    return {
      status: 'MISS',
      value: undefined,
      stale: read.stale as { value: T } | undefined,
      commit: (value: T) => this.commit(key, value, options, read),
    }
  }

  async getOrSet<T>(key: string, loader: () => Promise<T>, options: CacheEntryOptions): Promise<CacheResult<T>> {
    if (!this.enabled) return { value: await loader(), status: 'BYPASS' }
    const { value, joined } = await this.singleFlight(key, options.tags, () => this.load(key, loader, options))
    return joined && value.status !== 'HIT' ? { value: value.value, status: 'MISS' } : value
  }

  /**
   * Runs `work` once per key in this process: callers that come while it runs share its result
   * (`joined`). An invalidation of any of `tags` detaches the running work, so callers after a write
   * never share a load that began before it.
   */
  async singleFlight<T>(key: string, tags: readonly string[], work: () => Promise<T>): Promise<{ value: T; joined: boolean }> {
    const running = this.inflight.get(key)
    if (running) return { value: (await running.promise) as T, joined: true }
    const promise = work()
    const entry: InFlight = { promise, tags }
    this.inflight.set(key, entry)
    try {
      return { value: await promise, joined: false }
    } finally {
      if (this.inflight.get(key) === entry) this.inflight.delete(key)
    }
  }

  /** Announces a write's tags to the other instances inside its transaction (delivered at commit). */
  async announce(executor: Executor, tags: readonly string[], writeId?: string): Promise<void> {
    if (!this.enabled || !this.parts.multiInstance || tags.length === 0) return
    await this.parts.channels.notify(executor, this.message({ kind: 'tags', tags: [...tags], ...(writeId ? { write: writeId } : {}) }))
  }

  async invalidateTags(tags: readonly string[], writeId?: string): Promise<void> {
    if (!this.enabled || tags.length === 0) return
    this.dropLocal(tags, 0)
    const shared = this.parts.shared
    if (shared) {
      let bumped = false
      // Reads skip Redis while the breaker is open, but an invalidation is what keeps every other
      // instance's reads fresh: it is always tried while the connection is up (at most one command
      // timeout), and only a failed attempt falls back to retiring the whole epoch.
      if (shared.breaker.allow() || shared.breaker.isConnected) {
        try {
          await shared.store.bump(tags)
          shared.breaker.success()
          bumped = true
        } catch (error) {
          shared.breaker.failure(error)
          this.stats.count('invalidation', 'errors')
          this.parts.log.warn({ err: (error as Error).message }, 'cache invalidation did not reach redis')
        }
      }
      if (!bumped) {
        await this.sharedTierMissed()
        return
      }
    }
    await this.publish(this.message({ kind: 'tags', tags: [...tags], ...(writeId ? { write: writeId } : {}) }))
  }

  /** Applies a message from another instance. `viaDatabase` messages may precede that instance's Redis bump. */
  receive(message: InvalidationMessage, viaDatabase: boolean): void {
    if (message.from === this.instanceId) return
    if (message.kind === 'tags') {
      this.dropLocal(message.tags, viaDatabase ? this.parts.holdMs : 0)
      if (message.write !== undefined) this.track(message.write, message.tags, viaDatabase)
    } else if (message.kind === 'clear') this.clearLocal(message.pattern)
    else this.markEpochBumpPending()
  }

  /**
   * Pairs a write's two messages. The database announcement comes at commit; the Redis-side message
   * only after the writer bumped the tags in Redis. If the writer dies in between (killed, OOM), the
   * write is committed but Redis still serves what it replaced, to every instance, until the TTL:
   * so an announcement not followed by its Redis message within the hold is repaired here. Several
   * instances may repair the same write; a repeated bump only costs a miss.
   */
  private track(writeId: string, tags: readonly string[], viaDatabase: boolean) {
    if (!this.parts.shared) return
    if (!viaDatabase) {
      const timer = this.unconfirmed.get(writeId)
      if (timer) {
        clearTimeout(timer)
        this.unconfirmed.delete(writeId)
        return
      }
      // NOTIFY and pub/sub race each other: remember the id for an announcement still on its way.
      this.confirmedEarly.add(writeId)
      if (this.confirmedEarly.size > MAX_EARLY_CONFIRMATIONS) this.confirmedEarly.delete(this.confirmedEarly.values().next().value!)
      return
    }
    if (this.confirmedEarly.delete(writeId) || this.unconfirmed.has(writeId)) return
    const timer = setTimeout(() => {
      this.unconfirmed.delete(writeId)
      void this.repairWrite(writeId, tags)
    }, this.parts.holdMs)
    timer.unref()
    this.unconfirmed.set(writeId, timer)
  }

  /** Bumps the tags of a write whose writer did not; if Redis refuses, nothing in Redis is trusted until the epoch moves. */
  private async repairWrite(writeId: string, tags: readonly string[]) {
    const shared = this.parts.shared!
    this.stats.count('invalidation', 'errors')
    this.parts.log.warn({ write: writeId, tags }, 'a write was announced but never invalidated in redis: invalidating it here')
    try {
      await shared.store.bump(tags)
      shared.breaker.success()
    } catch (error) {
      shared.breaker.failure(error)
      await this.sharedTierMissed()
      return
    }
    // Reads in this instance between the hold and the bump may have put Redis's old value in the L1.
    this.dropLocal(tags, 0)
    await this.publish(this.message({ kind: 'tags', tags: [...tags], write: writeId }))
  }

  /**
   * Called whenever the command connection becomes ready, with Redis's `run_id`. A new run id means
   * the server restarted: if it came back from a snapshot, it may hold tag tokens that writes
   * replaced since, which would make their old entries valid again — so the epoch moves first.
   */
  redisReady(runId: string | undefined): void {
    if (runId === undefined) {
      // Could not tell whether this is the same server: assume it is not.
      this.parts.log.info('redis run_id unknown: cache epoch will be bumped before Redis is read again')
      this.markEpochBumpPending()
    } else {
      if (this.redisRunId !== undefined && runId !== this.redisRunId) {
        this.parts.log.info('redis restarted: cache epoch will be bumped before Redis is read again')
        this.markEpochBumpPending()
      }
      this.redisRunId = runId
    }
    this.runIdPending = false
  }

  /**
   * Called the moment the command connection becomes ready, before its run_id is known: until
   * `redisReady` has compared it, a restored server's old entries could pass for fresh.
   */
  redisConnected(): void {
    this.runIdPending = true
  }

  /**
   * Retires every entry in Redis when an instance starts: a process killed between a write's commit
   * and its Redis invalidation left entries that no tag change will ever touch. Done before the
   * instance serves; if Redis is not reachable yet, it happens before Redis is first read.
   */
  async retireOnStart(): Promise<void> {
    if (!this.enabled || !this.parts.shared) return
    this.markEpochBumpPending()
    await this.repairEpoch()
  }

  /** Empties the L1 after an invalidation path came back: what it missed meanwhile is unknown. */
  resync(): void {
    this.parts.l1?.clear()
    this.inflight.clear()
  }

  /**
   * Removes this deployment's entries, or those whose logical key matches a Redis glob, from Redis
   * (SCAN + UNLINK) and from every instance's L1. Returns how many Redis keys (or L1 entries on the
   * memory backend) went.
   */
  async clear(pattern?: string): Promise<number> {
    let deleted = this.clearLocal(pattern)
    const shared = this.parts.shared
    if (shared) {
      if (pattern === undefined) {
        // Retire everything logically first, so no instance serves an entry while the keys are removed.
        await shared.store.bump([EPOCH_TAG])
      }
      deleted = await shared.store.deleteMatching(pattern)
    }
    const message = this.message({ kind: 'clear', ...(pattern === undefined ? {} : { pattern }) })
    await this.publish(message)
    await this.parts.channels.notify(undefined, message).catch(() => {})
    return deleted
  }

  async close(): Promise<void> {
    for (const timer of this.unconfirmed.values()) clearTimeout(timer)
    this.unconfirmed.clear()
    await this.parts.close()
    this.parts.l1?.clear()
  }

  private message<M extends Omit<InvalidationMessage, 'from' | 'root'>>(fields: M): InvalidationMessage {
    return { ...fields, from: this.instanceId, root: this.parts.keys.root } as InvalidationMessage
  }

  private useL1(): boolean {
    return this.parts.l1 !== undefined && (!this.parts.multiInstance || this.parts.channels.listening())
  }

  private sharedAllowed(): boolean {
    const shared = this.parts.shared
    if (!shared) return false
    if (this.runIdPending) return false
    if (this.epochBumpPending) {
      void this.repairEpoch()
      return false
    }
    return shared.breaker.allow()
  }

  private async read(key: string, options: CacheEntryOptions): Promise<TierRead> {
    assertLogicalKey(key)
    this.namespaces.add(options.namespace)
    const l1 = this.parts.l1
    const useL1 = this.useL1()
    const l1Start = l1?.begin() ?? 0
    const now = Date.now()
    let stale: TierRead['stale']
    if (useL1) {
      const entry = l1!.get(key, now)
      if (entry && entry.expiresAt > now) return { hit: true, value: entry.value, stale, tokens: undefined, l1Start, useL1 }
      if (entry) stale = { value: entry.value }
    }
    const shared = this.parts.shared
    if (!shared || options.localOnly || !this.sharedAllowed()) return { hit: false, value: undefined, stale, tokens: undefined, l1Start, useL1 }
    try {
      const { raw, tokens } = await shared.store.read(key, options.tags)
      shared.breaker.success()
      const entry = raw ? decodeEntry(raw) : undefined
      if (entry && sameTokens(entry.t, tokens)) {
        if (entry.x > now) {
          if (useL1) l1!.set(key, { value: entry.v, tags: options.tags, expiresAt: entry.x, staleUntil: entry.x + this.parts.staleGraceMs, size: raw!.length }, l1Start)
          return { hit: true, value: entry.v, stale, tokens, l1Start, useL1 }
        }
        if (entry.x + this.parts.staleGraceMs > now) stale = { value: entry.v } // x is sealed: a kept-alive key is not stale forever
      }
      return { hit: false, value: undefined, stale, tokens, l1Start, useL1 }
    } catch (error) {
      shared.breaker.failure(error)
      this.stats.count(options.namespace, 'errors')
      this.parts.log.warn({ err: (error as Error).message, namespace: options.namespace }, 'cache read skipped redis')
      return { hit: false, value: undefined, stale, tokens: undefined, l1Start, useL1 }
    }
  }

  private async commit(key: string, value: unknown, options: CacheEntryOptions, read: TierRead): Promise<void> {
    const expiresAt = Date.now() + options.ttlMs
    const raw = encodeEntry({ v: value, t: read.tokens ?? [], x: expiresAt })
    const shared = this.parts.shared
    // Without the tokens seen before loading, a Redis write could not be checked later: skip it.
    if (shared && read.tokens && this.sharedAllowed()) {
      try {
        await shared.store.write(key, raw, options.ttlMs + this.parts.staleGraceMs)
        shared.breaker.success()
      } catch (error) {
        shared.breaker.failure(error)
        this.stats.count(options.namespace, 'errors')
        this.parts.log.warn({ err: (error as Error).message, namespace: options.namespace }, 'cache write skipped redis')
      }
    }
    if (read.useL1 && this.useL1()) {
      this.parts.l1!.set(key, { value, tags: options.tags, expiresAt, staleUntil: expiresAt + this.parts.staleGraceMs, size: raw.length }, read.l1Start)
    }
  }

  private async load<T>(key: string, loader: () => Promise<T>, options: CacheEntryOptions): Promise<CacheResult<T>> {
    let found = await this.lookup<T>(key, options)
    if (found.status === 'HIT') return { value: found.value as T, status: 'HIT' }
    const shared = this.parts.shared
    let locked = false
    if (shared && !options.localOnly && this.sharedAllowed()) {
      // Other processes may be missing on the same key: one loads, the others wait for its value.
      try {
        locked = await shared.store.tryLock(key, Math.max(this.parts.lockWaitMs * 4, 2000))
        shared.breaker.success()
        if (!locked) {
          const deadline = Date.now() + this.parts.lockWaitMs
          while (Date.now() < deadline) {
            await new Promise((r) => setTimeout(r, 15))
            const read = await this.read(key, options)
            if (read.hit) {
              this.stats.count(options.namespace, 'hits')
              return { value: read.value as T, status: 'HIT' }
            }
            found = { status: 'MISS', value: undefined, stale: read.stale as { value: T } | undefined, commit: (v: T) => this.commit(key, v, options, read) }
          }
        }
      } catch (error) {
        shared.breaker.failure(error)
      }
    }
    try {
      let value: T
      try {
        value = await loader()
      } catch (error) {
        const stale = this.staleFor(found, error, options)
        if (stale) return { value: stale.value, status: 'STALE' }
        throw error
      }
      await found.commit(value)
      return { value, status: 'MISS' }
    } finally {
      if (locked) await shared!.store.unlock(key).catch(() => {})
    }
  }

  /**
   * The stale value a failed load may answer with: only when the loader's dependency is down, and
   * only an entry no invalidation has touched (while the database is down no write can commit, so it
   * still shows the last acknowledged state). Counted as `stale`.
   */
  staleFor<T>(found: CacheLookup<T>, error: unknown, options: CacheEntryOptions): { value: T } | undefined {
    if (!found.stale || !this.parts.isUnavailable(error)) return undefined
    this.stats.count(options.namespace, 'stale')
    this.parts.log.warn({ namespace: options.namespace }, 'database unavailable: served a stale cache entry')
    return found.stale
  }

  private dropLocal(tags: readonly string[], holdMs: number) {
    this.parts.l1?.invalidate(tags, holdMs)
    // A load that began before this invalidation must not be shared with callers that come after it.
    for (const [key, flight] of this.inflight) if (flight.tags.some((t) => tags.includes(t))) this.inflight.delete(key)
  }

  private clearLocal(pattern: string | undefined): number {
    const l1 = this.parts.l1
    this.inflight.clear()
    if (!l1) return 0
    if (pattern === undefined) {
      const size = l1.size
      l1.clear()
      return size
    }
    return l1.deleteMatching(globMatcher(pattern))
  }

  private async sharedTierMissed() {
    this.markEpochBumpPending()
    // Every instance must stop trusting Redis until the epoch moves: tell them through the database,
    // the path that does not depend on Redis.
    await this.parts.channels.notify(undefined, this.message({ kind: 'shared-tier-missed' })).catch(() => {})
  }

  /**
   * Publishes on the Redis bus, awaiting Redis's reply: Redis writes the message to every
   * subscriber's socket before it answers, so other instances have it before this write answers.
   * Skipped while the breaker is open, so an outage costs no extra timeout.
   */
  private async publish(message: InvalidationMessage): Promise<void> {
    const shared = this.parts.shared
    if (!shared || !shared.breaker.allow()) return
    if (await this.parts.channels.publish(message)) shared.breaker.success()
    else shared.breaker.failure()
  }

  private markEpochBumpPending() {
    if (!this.parts.shared) return
    this.epochBumpPending = true
  }

  /** Retires every entry written before Redis became unreachable, then lets reads use Redis again. */
  private repairEpoch(): Promise<void> {
    if (this.epochBump) return this.epochBump
    const shared = this.parts.shared!
    this.epochBump = (async () => {
      if (!shared.breaker.allow()) return
      try {
        await shared.store.bump([EPOCH_TAG])
        shared.breaker.success()
        this.epochBumpPending = false
        this.parts.l1?.clear()
        // Other instances may hold in their L1 what they read from Redis before the bump.
        const message = this.message({ kind: 'clear' })
        await this.publish(message)
        await this.parts.channels.notify(undefined, message).catch(() => {})
        this.parts.log.info('cache epoch bumped: entries written before it are retired')
      } catch (error) {
        shared.breaker.failure(error)
      }
    })().finally(() => {
      this.epochBump = undefined
    })
    return this.epochBump
  }
}
