import type { CacheEntryOptions, CacheResult } from './cache.types.ts'

/**
 * The cache as a module sees it (`app.dataCache`): cached reads in the module's own namespaces, and
 * nothing else. A module's writes invalidate by naming tags through `app.writer` (`touch`), never
 * here; lookups with a separate commit, single flight, clearing, epochs and health are the
 * platform's (`app.cache`, the whole `TieredCache`: admin, CLI, metrics, auth, response cache).
 */
export interface ModuleCache {
  /** False when CACHE_ENABLED=false: every read then answers BYPASS from its loader. */
  readonly enabled: boolean
  /** Names the namespaces a module caches in, so stats count their keys before any lookup. */
  declareNamespaces(...namespaces: string[]): void
  /**
   * A fresh value from the in-process tier, without a promise: the hot path of a hit. Undefined
   * means "not known here", never "cached as absent": the caller then goes through `getOrSet`
   * (platform code: `lookup`).
   */
  peek<T>(key: string, namespace: string): T | undefined
  /**
   * Returns the cached value or runs the loader once per key per process (concurrent callers share
   * it) and caches its result, empty results included. Loader errors propagate; cache errors do not.
   */
  getOrSet<T>(key: string, loader: () => Promise<T>, options: CacheEntryOptions): Promise<CacheResult<T>>
}
