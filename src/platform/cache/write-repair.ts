import type { CacheCore } from './cache-core.ts'
import type { EpochGuard } from './epoch-guard.ts'

/** How many write ids confirmed over Redis before their database announcement are remembered. */
const MAX_EARLY_CONFIRMATIONS = 1000

/**
 * Pairs each write's two messages. The database announcement comes at commit; the Redis-side message
 * only after the writer bumped the tags in Redis. If the writer dies in between (killed, OOM), the
 * write is committed but Redis still serves what it replaced, to every instance, until the TTL:
 * so an announcement not followed by its Redis message within the hold is repaired here. Several
 * instances may repair the same write; a repeated bump only costs a miss.
 */
export class WriteRepair {
  /** Other instances' writes announced through the database whose Redis invalidation has not been seen yet. */
  private readonly unconfirmed = new Map<string, NodeJS.Timeout>()
  /** Write ids whose Redis-side message came before their database announcement (insertion-ordered). */
  private readonly confirmedEarly = new Set<string>()

  constructor(
    private readonly core: CacheCore,
    private readonly guard: EpochGuard,
  ) {}

  /** Notes one of a write's two messages; `viaDatabase` is the announcement, otherwise the Redis-side message. */
  track(writeId: string, tags: readonly string[], viaDatabase: boolean): void {
    if (!this.core.parts.shared) return
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
    }, this.core.parts.holdMs)
    timer.unref()
    this.unconfirmed.set(writeId, timer)
  }

  /** Stops the pending repairs (the cache is closing). */
  close(): void {
    for (const timer of this.unconfirmed.values()) clearTimeout(timer)
    this.unconfirmed.clear()
  }

  /** Bumps the tags of a write whose writer did not; if Redis refuses, nothing in Redis is trusted until the epoch moves. */
  private async repairWrite(writeId: string, tags: readonly string[]) {
    const { parts } = this.core
    const shared = parts.shared!
    this.core.stats.count('invalidation', 'errors')
    parts.log.warn({ write: writeId, tags }, 'a write was announced but never invalidated in redis: invalidating it here')
    try {
      await shared.store.bump(tags)
      shared.breaker.success()
    } catch (error) {
      shared.breaker.failure(error)
      await this.guard.sharedTierMissed()
      return
    }
    // Reads in this instance between the hold and the bump may have put Redis's old value in the L1.
    this.core.dropLocal(tags, 0)
    await this.core.publish(this.core.message({ kind: 'tags', tags: [...tags], write: writeId }))
  }
}
