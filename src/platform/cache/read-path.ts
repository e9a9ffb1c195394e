import type { CacheEntryOptions, CacheLookup, CacheResult } from './cache.types.ts'
import type { CacheCore } from './cache-core.ts'
import { decodeEntry, encodeEntry } from './codec.ts'
import type { EpochGuard } from './epoch-guard.ts'
import { assertLogicalKey } from './key-space.ts'

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

/**
 * The read path: L1, then Redis (with the entry's tag tokens), then the loader, once per key per
 * process (single flight) and, through a short Redis lock, about once per key across processes.
 * An entry is stored with the tokens seen before loading, so a load that began before a write
 * cannot store its old value after the write's invalidation (the stale-set race).
 */
export class ReadPath {
  constructor(
    private readonly core: CacheCore,
    private readonly guard: EpochGuard,
  ) {}

  /** Looks a key up; on a miss the returned lookup can commit the computed value. Never throws. */
  async lookup<T>(key: string, options: CacheEntryOptions): Promise<CacheLookup<T>> {
    if (!this.core.parts.enabled) return { status: 'BYPASS', value: undefined, commit: async () => {} }
    const read = await this.read(key, options)
    this.core.stats.count(options.namespace, read.hit ? 'hits' : 'misses')
    if (read.hit) return { status: 'HIT', value: read.value as T, commit: async () => {} }
    return {
      status: 'MISS',
      value: undefined,
      stale: read.stale as { value: T } | undefined,
      commit: (value: T) => this.commit(key, value, options, read),
    }
  }

  /** The cached value, or the loader's once per key per process, cached. */
  async getOrSet<T>(key: string, loader: () => Promise<T>, options: CacheEntryOptions): Promise<CacheResult<T>> {
    if (!this.core.parts.enabled) return { value: await loader(), status: 'BYPASS' }
    const { value, joined } = await this.core.flights.run(key, options.tags, () => this.load(key, loader, options))
    return joined && value.status !== 'HIT' ? { value: value.value, status: 'MISS' } : value
  }

  /**
   * The stale value a failed load may answer with: only when the loader's dependency is down, and
   * only an entry no invalidation has touched (while the database is down no write can commit, so it
   * still shows the last acknowledged state). Counted as `stale`.
   */
  staleFor<T>(found: CacheLookup<T>, error: unknown, options: CacheEntryOptions): { value: T } | undefined {
    if (!found.stale || !this.core.parts.isUnavailable(error)) return undefined
    this.core.stats.count(options.namespace, 'stale')
    this.core.parts.log.warn({ namespace: options.namespace }, 'database unavailable: served a stale cache entry')
    return found.stale
  }

  private async read(key: string, options: CacheEntryOptions): Promise<TierRead> {
    assertLogicalKey(key)
    const { parts } = this.core
    this.core.namespaces.add(options.namespace)
    const l1 = parts.l1
    const useL1 = this.core.useL1()
    const l1Start = l1?.begin() ?? 0
    const now = Date.now()
    let stale: TierRead['stale']
    if (useL1) {
      const entry = l1!.get(key, now)
      if (entry && entry.expiresAt > now) return { hit: true, value: entry.value, stale, tokens: undefined, l1Start, useL1 }
      if (entry) stale = { value: entry.value }
    }
    const shared = parts.shared
    if (!shared || options.localOnly || !this.guard.sharedAllowed()) return { hit: false, value: undefined, stale, tokens: undefined, l1Start, useL1 }
    try {
      const { raw, tokens } = await shared.store.read(key, options.tags)
      shared.breaker.success()
      const entry = raw ? decodeEntry(raw) : undefined
      if (entry && sameTokens(entry.t, tokens)) {
        if (entry.x > now) {
          if (useL1) l1!.set(key, { value: entry.v, tags: options.tags, expiresAt: entry.x, staleUntil: entry.x + parts.staleGraceMs, size: raw!.length }, l1Start)
          return { hit: true, value: entry.v, stale, tokens, l1Start, useL1 }
        }
        if (entry.x + parts.staleGraceMs > now) stale = { value: entry.v } // x is sealed: a kept-alive key is not stale forever
      }
      return { hit: false, value: undefined, stale, tokens, l1Start, useL1 }
    } catch (error) {
      shared.breaker.failure(error)
      this.core.stats.count(options.namespace, 'errors')
      parts.log.warn({ err: (error as Error).message, namespace: options.namespace }, 'cache read skipped redis')
      return { hit: false, value: undefined, stale, tokens: undefined, l1Start, useL1 }
    }
  }

  private async commit(key: string, value: unknown, options: CacheEntryOptions, read: TierRead): Promise<void> {
    const { parts } = this.core
    const expiresAt = Date.now() + options.ttlMs
    const raw = encodeEntry({ v: value, t: read.tokens ?? [], x: expiresAt })
    const shared = parts.shared
    // Without the tokens seen before loading, a Redis write could not be checked later: skip it.
    if (shared && read.tokens && this.guard.sharedAllowed()) {
      try {
        await shared.store.write(key, raw, options.ttlMs + parts.staleGraceMs)
        shared.breaker.success()
      } catch (error) {
        shared.breaker.failure(error)
        this.core.stats.count(options.namespace, 'errors')
        parts.log.warn({ err: (error as Error).message, namespace: options.namespace }, 'cache write skipped redis')
      }
    }
    if (read.useL1 && this.core.useL1()) {
      parts.l1!.set(key, { value, tags: options.tags, expiresAt, staleUntil: expiresAt + parts.staleGraceMs, size: raw.length }, read.l1Start)
    }
  }

  private async load<T>(key: string, loader: () => Promise<T>, options: CacheEntryOptions): Promise<CacheResult<T>> {
    const { parts } = this.core
    let found = await this.lookup<T>(key, options)
    if (found.status === 'HIT') return { value: found.value as T, status: 'HIT' }
    const shared = parts.shared
    let locked = false
    if (shared && !options.localOnly && this.guard.sharedAllowed()) {
      // Other processes may be missing on the same key: one loads, the others wait for its value.
      try {
        locked = await shared.store.tryLock(key, Math.max(parts.lockWaitMs * 4, 2000))
        shared.breaker.success()
        if (!locked) {
          const deadline = Date.now() + parts.lockWaitMs
          while (Date.now() < deadline) {
            await new Promise((r) => setTimeout(r, 15))
            const read = await this.read(key, options)
            if (read.hit) {
              this.core.stats.count(options.namespace, 'hits')
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
}
