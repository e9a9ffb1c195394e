import type { CacheCore } from './cache-core.ts'
import { EPOCH_TAG, globMatcher } from './key-space.ts'

/** Removes entries by pattern or all of them, here, in Redis and in every other instance's L1. */
export class CacheClearing {
  constructor(private readonly core: CacheCore) {}

  /**
   * Removes this deployment's entries, or those whose logical key matches a Redis glob, from Redis
   * (SCAN + UNLINK) and from every instance's L1. Returns how many Redis keys (or L1 entries on the
   * memory backend) went.
   */
  async clear(pattern?: string): Promise<number> {
    let deleted = this.clearLocal(pattern)
    const shared = this.core.parts.shared
    if (shared) {
      if (pattern === undefined) {
        // Retire everything logically first, so no instance serves an entry while the keys are removed.
        await shared.store.bump([EPOCH_TAG])
      }
      deleted = await shared.store.deleteMatching(pattern)
    }
    const message = this.core.message({ kind: 'clear', ...(pattern === undefined ? {} : { pattern }) })
    await this.core.publish(message)
    await this.core.notifyQuietly(message)
    return deleted
  }

  /** Removes matching entries (all without a pattern) from this process; returns how many L1 entries went. */
  clearLocal(pattern: string | undefined): number {
    const l1 = this.core.parts.l1
    this.core.flights.clear()
    if (!l1) return 0
    if (pattern === undefined) {
      const size = l1.size
      l1.clear()
      return size
    }
    return l1.deleteMatching(globMatcher(pattern))
  }
}
