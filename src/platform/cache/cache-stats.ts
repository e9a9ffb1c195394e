/** Counters of one namespace, or of the whole cache. */
export interface CacheCounters {
  hits: number
  misses: number
  stale: number
  errors: number
}

const zero = (): CacheCounters => ({ hits: 0, misses: 0, stale: 0, errors: 0 })

/**
 * The application's own hit/miss counters. Redis's INFO counters are server-wide and count every
 * client's lookups (EXISTS, TTL and TYPE included), so they cannot tell how this application fares.
 */
export class CacheStats {
  readonly total = zero()
  readonly byNamespace = new Map<string, CacheCounters>()
  /** What was read back from Redis and refused (bad MAC, replayed message…), by reason. */
  readonly rejected = new Map<string, number>()

  /** Counts one refused entry or message. */
  reject(reason: string): void {
    this.rejected.set(reason, (this.rejected.get(reason) ?? 0) + 1)
  }

  count(namespace: string, what: keyof CacheCounters): void {
    this.total[what]++
    let counters = this.byNamespace.get(namespace)
    if (!counters) this.byNamespace.set(namespace, (counters = zero()))
    counters[what]++
  }

  /** hits ÷ (hits + misses), 0 before any lookup. */
  static ratio(c: CacheCounters): number {
    const lookups = c.hits + c.misses
    return lookups === 0 ? 0 : c.hits / lookups
  }
}
