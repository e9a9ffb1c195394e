import { Type, type Static } from 'typebox'

const Counters = {
  hits: Type.Integer(),
  misses: Type.Integer(),
  stale: Type.Integer(),
  errors: Type.Integer(),
  hitRatio: Type.Number({ minimum: 0, maximum: 1 }),
}

/** GET /api/admin/cache/stats. */
export const CacheStatsSchema = Type.Object({
  backend: Type.Union([Type.Literal('redis'), Type.Literal('memory')]),
  health: Type.Union([Type.Literal('up'), Type.Literal('degraded'), Type.Literal('disabled')]),
  prefix: Type.String({ description: 'CACHE_PREFIX:vCACHE_VERSION: the keys this deployment owns start with it' }),
  redis: Type.Optional(
    Type.Object({
      version: Type.String(),
      usedMemory: Type.Integer(),
      usedMemoryHuman: Type.String(),
      maxmemory: Type.Integer(),
      maxmemoryPolicy: Type.String(),
      keyspaceHits: Type.Integer(),
      keyspaceMisses: Type.Integer(),
      hitRatio: Type.Number({ description: 'Server-wide: every client of this Redis, and EXISTS/TTL/TYPE count too' }),
      connectedClients: Type.Integer(),
      uptimeSeconds: Type.Integer(),
    }),
  ),
  redisError: Type.Optional(Type.String({ description: 'Why the redis block is missing on the Redis backend' })),
  app: Type.Object({
    ...Counters,
    namespaces: Type.Record(Type.String(), Type.Object({ ...Counters, keys: Type.Integer() })),
    keysComplete: Type.Boolean({ description: 'False when counting keys (SCAN) ran out of its time budget' }),
    l1: Type.Object({ entries: Type.Integer(), bytes: Type.Integer() }),
  }),
}, { title: 'CacheStats', description: "Redis figures beside this instance's own counters" })
export type CacheStats = Static<typeof CacheStatsSchema>

/** DELETE /api/admin/cache query. */
export const ClearQuery = Type.Object(
  {
    pattern: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'Redis-style glob (*, ?, […]) on the logical key, e.g. customer_vehicles_*; empty is 400',
      }),
    ),
  },
  { additionalProperties: false },
)

export const ClearResult = Type.Object(
  { deleted: Type.Integer({ minimum: 0, description: 'How many entries were removed' }) },
  { title: 'CacheClearResult', description: 'What a cache clear removed', examples: [{ deleted: 12 }] },
)
