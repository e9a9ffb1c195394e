import type { Redis } from 'ioredis'

/** The Redis figures the stats endpoint reports, from INFO. */
export interface RedisFigures {
  version: string
  usedMemory: number
  usedMemoryHuman: string
  maxmemory: number
  maxmemoryPolicy: string
  keyspaceHits: number
  keyspaceMisses: number
  /** keyspace_hits ÷ (hits + misses): server-wide, every client's lookups (EXISTS, TTL, TYPE too). */
  hitRatio: number
  connectedClients: number
  uptimeSeconds: number
}

/** Parses the `field:value` lines of INFO into a map. */
export function parseInfo(text: string): Map<string, string> {
  const fields = new Map<string, string>()
  for (const line of text.split(/\r?\n/)) {
    if (line === '' || line.startsWith('#')) continue
    const colon = line.indexOf(':')
    if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1))
  }
  return fields
}

/** Reads INFO (server, memory, stats, clients) from Redis, within the client's command timeout. */
export async function readRedisFigures(redis: Redis): Promise<RedisFigures> {
  const sections = await Promise.all(['server', 'memory', 'stats', 'clients'].map((s) => redis.info(s)))
  const info = parseInfo(sections.join('\n'))
  const num = (name: string) => Number(info.get(name) ?? 0)
  const hits = num('keyspace_hits')
  const misses = num('keyspace_misses')
  return {
    version: info.get('redis_version') ?? 'unknown',
    usedMemory: num('used_memory'),
    usedMemoryHuman: info.get('used_memory_human') ?? '',
    maxmemory: num('maxmemory'),
    maxmemoryPolicy: info.get('maxmemory_policy') ?? 'unknown',
    keyspaceHits: hits,
    keyspaceMisses: misses,
    hitRatio: hits + misses === 0 ? 0 : hits / (hits + misses),
    connectedClients: num('connected_clients'),
    uptimeSeconds: num('uptime_in_seconds'),
  }
}
