import type { CacheCore } from './cache-core.ts'
import { EPOCH_TAG } from './key-space.ts'

/**
 * Decides when Redis may be trusted: not while an invalidation may have missed it (until the epoch
 * is bumped, which retires every entry written before), and not between a (re)connection and the
 * comparison of Redis's `run_id` with the last one seen (a restarted server may hold old tokens).
 */
export class EpochGuard {
  /** Set when an invalidation may not have reached Redis: Redis is skipped until the epoch is bumped. */
  private bumpPending = false
  private bump: Promise<void> | undefined
  private runId: string | undefined
  /** Set from the moment the connection is ready until its run_id has been compared: Redis is not read meanwhile. */
  private runIdPending = false

  constructor(private readonly core: CacheCore) {}

  /** Whether reads and writes may use Redis now (starts the epoch repair when one is due). */
  sharedAllowed(): boolean {
    const shared = this.core.parts.shared
    if (!shared) return false
    if (this.runIdPending) return false
    if (this.bumpPending) {
      void this.repair()
      return false
    }
    return shared.breaker.allow()
  }

  /** Starts the epoch repair if one is due; true while Redis is not trusted yet (for `health`). */
  unsettled(): boolean {
    if (this.bumpPending) void this.repair()
    return this.bumpPending || this.runIdPending
  }

  /** Stops trusting Redis until the epoch has been bumped. */
  markBumpPending(): void {
    if (!this.core.parts.shared) return
    this.bumpPending = true
  }

  /** An invalidation did not reach Redis: this instance and every other stop trusting it until the epoch moves. */
  async sharedTierMissed(): Promise<void> {
    this.markBumpPending()
    // Every instance must stop trusting Redis until the epoch moves: tell them through the database,
    // the path that does not depend on Redis.
    await this.core.notifyQuietly(this.core.message({ kind: 'shared-tier-missed' }))
  }

  /**
   * Called whenever the command connection becomes ready, with Redis's `run_id`. A new run id means
   * the server restarted: if it came back from a snapshot, it may hold tag tokens that writes
   * replaced since, which would make their old entries valid again — so the epoch moves first.
   */
  redisReady(runId: string | undefined): void {
    const log = this.core.parts.log
    if (runId === undefined) {
      // Could not tell whether this is the same server: assume it is not.
      log.info('redis run_id unknown: cache epoch will be bumped before Redis is read again')
      this.markBumpPending()
    } else {
      if (this.runId !== undefined && runId !== this.runId) {
        log.info('redis restarted: cache epoch will be bumped before Redis is read again')
        this.markBumpPending()
      }
      this.runId = runId
    }
    this.runIdPending = false
  }

  /** The command connection became ready; its run_id is not known yet. */
  redisConnected(): void {
    this.runIdPending = true
  }

  /** Retires every entry written before Redis became unreachable, then lets reads use Redis again. */
  repair(): Promise<void> {
    if (this.bump) return this.bump
    const { parts } = this.core
    const shared = parts.shared!
    this.bump = (async () => {
      if (!shared.breaker.allow()) return
      try {
        await shared.store.bump([EPOCH_TAG])
        shared.breaker.success()
        this.bumpPending = false
        parts.l1?.clear()
        // Other instances may hold in their L1 what they read from Redis before the bump.
        const message = this.core.message({ kind: 'clear' })
        await this.core.publish(message)
        await this.core.notifyQuietly(message)
        parts.log.info('cache epoch bumped: entries written before it are retired')
      } catch (error) {
        shared.breaker.failure(error)
      }
    })().finally(() => {
      this.bump = undefined
    })
    return this.bump
  }
}
