import { Counter, Gauge, type Registry } from 'prom-client'
import type { CacheCounters } from '../cache/cache-stats.ts'
import type { TieredCache } from '../cache/tiered-cache.ts'

const HEALTH_VALUE = { up: 1, degraded: 0.5, disabled: 0 } as const

const COUNTERS: { name: string; field: keyof CacheCounters; help: string }[] = [
  { name: 'ecar_cache_hits_total', field: 'hits', help: 'Cache lookups answered from the cache, by namespace' },
  { name: 'ecar_cache_misses_total', field: 'misses', help: 'Cache lookups that went to the loader, by namespace' },
  { name: 'ecar_cache_stale_total', field: 'stale', help: 'Stale entries served, by namespace' },
  { name: 'ecar_cache_errors_total', field: 'errors', help: 'Redis errors the cache absorbed, by namespace' },
]

/**
 * Cache figures read from the cache's own counters at scrape time: the request path does no work
 * for them. Declared namespaces are exported at 0 before their first lookup, so rate() has a start.
 */
export function registerCacheMetrics(registry: Registry, cache: TieredCache): void {
  const namespaces = () => {
    const names = new Set(cache.knownNamespaces)
    for (const name of cache.stats.byNamespace.keys()) names.add(name)
    return names
  }

  for (const { name, field, help } of COUNTERS) {
    new Counter({
      name,
      help,
      labelNames: ['namespace'],
      registers: [registry],
      collect() {
        // The source is cumulative already: rebuild the series from it on every scrape.
        this.reset()
        for (const namespace of namespaces()) this.inc({ namespace }, cache.stats.byNamespace.get(namespace)?.[field] ?? 0)
      },
    })
  }

  new Counter({
    name: 'ecar_cache_rejected_total',
    help: 'Entries read from Redis and bus messages refused because they do not verify (entry_mac, message_mac, message_replay, message_malformed)',
    labelNames: ['reason'],
    registers: [registry],
    collect() {
      this.reset()
      for (const reason of ['entry_mac', 'message_mac', 'message_replay', 'message_malformed']) this.inc({ reason }, cache.stats.rejected.get(reason) ?? 0)
    },
  })

  new Gauge({
    name: 'ecar_cache_l1_entries',
    help: 'Entries in the in-process (L1) cache',
    registers: [registry],
    collect() {
      this.set(cache.l1?.size ?? 0)
    },
  })
  new Gauge({
    name: 'ecar_cache_l1_bytes',
    help: 'Estimated V8 heap bytes held by the in-process (L1) cache (bounded by CACHE_L1_MAX_BYTES)',
    registers: [registry],
    collect() {
      this.set(cache.l1?.bytes ?? 0)
    },
  })
  new Gauge({
    name: 'ecar_cache_backend',
    help: 'The cache backend in use (the series with value 1)',
    labelNames: ['backend'],
    registers: [registry],
  }).set({ backend: cache.backend }, 1)
  new Gauge({
    name: 'ecar_cache_health',
    help: 'Cache health: 1 up, 0.5 degraded (Redis unreachable, reads go to the database), 0 disabled',
    registers: [registry],
    collect() {
      this.set(HEALTH_VALUE[cache.health()])
    },
  })
}
