import type { Executor } from '../db/database.ts'
import type { CacheClearing } from './cache-clear.ts'
import type { CacheCore } from './cache-core.ts'
import type { EpochGuard } from './epoch-guard.ts'
import type { InvalidationMessage } from './invalidation-message.ts'
import type { WriteRepair } from './write-repair.ts'

/**
 * Writes' invalidations, sent and received. A write gives its tags new tokens in Redis, so every
 * entry recorded with the old ones becomes a miss; the L1s of every instance drop them on the bus or
 * the database's message. An invalidation that cannot reach Redis retires the whole epoch instead.
 */
export class Invalidation {
  constructor(
    private readonly core: CacheCore,
    private readonly guard: EpochGuard,
    private readonly repair: WriteRepair,
    private readonly clearing: CacheClearing,
  ) {}

  /** Announces a write's tags to the other instances inside its transaction (delivered at commit). */
  async announce(executor: Executor, tags: readonly string[], writeId?: string): Promise<void> {
    const { parts } = this.core
    if (!parts.enabled || !parts.multiInstance || tags.length === 0) return
    await parts.channels.notify(executor, this.core.message({ kind: 'tags', tags: [...tags], ...(writeId ? { write: writeId } : {}) }))
  }

  /** Invalidates every entry carrying any of these tags, on every instance. Never throws. */
  async invalidateTags(tags: readonly string[], writeId?: string): Promise<void> {
    const { parts } = this.core
    if (!parts.enabled || tags.length === 0) return
    this.core.dropLocal(tags, 0)
    const shared = parts.shared
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
          this.core.stats.count('invalidation', 'errors')
          parts.log.warn({ err: (error as Error).message }, 'cache invalidation did not reach redis')
        }
      }
      if (!bumped) {
        await this.guard.sharedTierMissed()
        return
      }
    }
    await this.core.publish(this.core.message({ kind: 'tags', tags: [...tags], ...(writeId ? { write: writeId } : {}) }))
  }

  /** Applies a message from another instance. `viaDatabase` messages may precede that instance's Redis bump. */
  receive(message: InvalidationMessage, viaDatabase: boolean): void {
    if (message.from === this.core.instanceId) return
    if (message.kind === 'tags') {
      this.core.dropLocal(message.tags, viaDatabase ? this.core.parts.holdMs : 0)
      if (message.write !== undefined) this.repair.track(message.write, message.tags, viaDatabase)
    } else if (message.kind === 'clear') this.clearing.clearLocal(message.pattern)
    else this.guard.markBumpPending()
  }
}
