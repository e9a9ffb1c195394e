import { randomUUID } from 'node:crypto'
import type { FastifyBaseLogger } from 'fastify'
import type { Executor } from '../db/database.ts'
import type { Breaker } from './breaker.ts'
import { CacheStats } from './cache-stats.ts'
import type { InvalidationMessage } from './invalidation-message.ts'
import type { KeySpace } from './key-space.ts'
import type { L1 } from './l1.ts'
import type { RedisStore } from './redis-store.ts'
import { SingleFlight } from './single-flight.ts'

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

/**
 * What every part of the tiered cache shares: its parts, counters, identity, the loads in flight,
 * and the few steps all of them take (use the L1 or not, drop tags locally, tell other instances).
 */
export class CacheCore {
  readonly stats = new CacheStats()
  readonly instanceId = randomUUID()
  /** Namespaces declared by the modules or seen in lookups, for stats and metrics. */
  readonly namespaces = new Set<string>()
  readonly flights = new SingleFlight()

  constructor(readonly parts: TieredCacheParts) {}

  /** Whether the L1 may answer: on PostgreSQL only while an invalidation path is live. */
  useL1(): boolean {
    return this.parts.l1 !== undefined && (!this.parts.multiInstance || this.parts.channels.listening())
  }

  /** A message from this instance, for this deployment's key root. */
  message<M extends Omit<InvalidationMessage, 'from' | 'root'>>(fields: M): InvalidationMessage {
    return { ...fields, from: this.instanceId, root: this.parts.keys.root } as InvalidationMessage
  }

  /**
   * Publishes on the Redis bus, awaiting Redis's reply: Redis writes the message to every
   * subscriber's socket before it answers, so other instances have it before this write answers.
   * Skipped while the breaker is open, so an outage costs no extra timeout.
   */
  async publish(message: InvalidationMessage): Promise<void> {
    const shared = this.parts.shared
    if (!shared || !shared.breaker.allow()) return
    if (await this.parts.channels.publish(message)) shared.breaker.success()
    else shared.breaker.failure()
  }

  /** Tells other instances through the database, outside any transaction; a failure is ignored. */
  notifyQuietly(message: InvalidationMessage): Promise<void> {
    return this.parts.channels.notify(undefined, message).catch(() => {})
  }

  /** Drops entries carrying these tags from this process (the L1 refuses them for `holdMs`). */
  dropLocal(tags: readonly string[], holdMs: number): void {
    this.parts.l1?.invalidate(tags, holdMs)
    // A load that began before this invalidation must not be shared with callers that come after it.
    this.flights.detach(tags)
  }
}
