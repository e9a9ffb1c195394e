import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Redis } from 'ioredis'
import type { Config } from '../config.ts'
import { ConnectionStateLog } from './connection-log.ts'
import { loadCacheIdentity } from './cache-identity.ts'
import { createCache, type ReservedL1 } from './create-cache.ts'
import { createRedis } from './redis-connection.ts'
import type { ModuleCache } from './module-cache.ts'
import type { TieredCache } from './tiered-cache.ts'
import { createWriter, type Writer } from './writer.ts'
import { tagChecker } from './cache-declaration.ts'
import type { DeclaredCache } from '../registry/registry-views.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** The shared fail-fast Redis command connection, when REDIS_URL is set (rate limits use it too). */
    redis: Redis | undefined
    /** The whole cache layer, for platform code (admin, CLI, metrics, auth, response cache); modules use `dataCache`. */
    cache: TieredCache
    /** The cache as modules get it: getOrSet / peek in their namespaces (writes touch tags through `writer`). */
    dataCache: ModuleCache
    writer: Writer
  }
}

/** Connects the cache (Redis or memory, per REDIS_URL) and the transactional writer. */
export const cachePlugin = fp(
  async (app: FastifyInstance, opts: { config: Config; reservedL1?: readonly ReservedL1[]; declared: DeclaredCache }) => {
    // From the database, before any Redis connection: a failure here leaves nothing open.
    const identity = await loadCacheIdentity(app.database.db, opts.config)
    app.log.info({ deploymentId: identity.deploymentId, secret: identity.secretSource }, 'cache identity loaded')
    let redis: Redis | undefined
    const connection = new ConnectionStateLog(app.log, 'redis')
    if (opts.config.redisUrl) {
      redis = createRedis(opts.config, 'command', (error) => connection.error(error))
      redis.on('ready', () => connection.ready())
      // Start-up does not wait long for Redis: the service runs (degraded) without it.
      await Promise.race([redis.connect().catch(() => {}), new Promise((r) => setTimeout(r, opts.config.redis.connectTimeoutMs).unref())])
    }
    app.decorate('redis', redis)
    const cache = createCache({ config: opts.config, database: app.database, redis, log: app.log, identity, reservedL1: opts.reservedL1 })
    await cache.retireOnStart()
    // Stats count every declared namespace's keys before any lookup.
    cache.declareNamespaces(...opts.declared.namespaces.map((namespace) => namespace.name))
    app.decorate('cache', cache)
    app.decorate('dataCache', cache satisfies ModuleCache)
    app.decorate('writer', createWriter({ database: app.database, cache, isDeclared: tagChecker(opts.declared.families) }))
    app.addHook('onClose', async () => {
      connection.stop()
      await cache.close()
      redis?.disconnect()
    })
  },
  { name: 'ecar-cache', dependencies: ['ecar-database'] },
)
