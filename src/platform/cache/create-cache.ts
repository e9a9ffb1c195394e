import type { AppCache, CacheEntryOptions, CacheLookup, CacheResult } from './cache.types.ts'

// PROVISIONAL: a minimal single-process cache so the modules can be built against the AppCache
// interface; replaced by the tiered Redis/memory implementation in the caching-layer work.
export function createCache(options: { enabled: boolean }): AppCache {
  const entries = new Map<string, { value: unknown; expires: number; tags: readonly string[] }>()
  const tagEpochs = new Map<string, number>()
  let epoch = 0
  const lookup = async <T>(key: string, opts: CacheEntryOptions): Promise<CacheLookup<T>> => {
    const started = epoch
    const entry = entries.get(key)
    if (options.enabled && entry && entry.expires > Date.now()) {
      return { status: 'HIT', value: entry.value as T, commit: async () => {} }
    }
    return {
      status: options.enabled ? 'MISS' : 'BYPASS',
      value: undefined,
      commit: async (value: T) => {
        if (!options.enabled) return
        if (opts.tags.some((t) => (tagEpochs.get(t) ?? -1) >= started)) return
        entries.set(key, { value, expires: Date.now() + opts.ttlMs, tags: opts.tags })
      },
    }
  }
  return {
    backend: 'memory',
    enabled: options.enabled,
    lookup,
    async getOrSet<T>(key: string, loader: () => Promise<T>, opts: CacheEntryOptions): Promise<CacheResult<T>> {
      const found = await lookup<T>(key, opts)
      if (found.status === 'HIT') return { value: found.value as T, status: 'HIT' }
      const value = await loader()
      await found.commit(value)
      return { value, status: found.status }
    },
    async invalidateTags(tags) {
      epoch++
      for (const tag of tags) tagEpochs.set(tag, epoch)
      for (const [key, entry] of entries) if (entry.tags.some((t) => tags.includes(t))) entries.delete(key)
    },
    health: () => (options.enabled ? 'up' : 'disabled'),
    async close() {
      entries.clear()
    },
  }
}
