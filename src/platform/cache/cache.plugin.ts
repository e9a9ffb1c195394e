import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from '../config.ts'
import type { AppCache } from './cache.types.ts'
import { createCache } from './create-cache.ts'
import { createWriter, type Writer } from './writer.ts'
import { createRedis } from './redis-connection.ts'
import type { Redis } from 'ioredis'

declare module 'fastify' {
  interface FastifyInstance {
    /** The shared fail-fast Redis command connection, when REDIS_URL is set (rate limits use it too). */
    redis: Redis | undefined
    cache: AppCache
    writer: Writer
  }
}

/** Connects the cache (Redis or memory, per REDIS_URL) and the transactional writer. */
export const cachePlugin = fp(
  async (app: FastifyInstance, opts: { config: Config }) => {
    let redis: Redis | undefined
    if (opts.config.redisUrl) {
      redis = createRedis(opts.config, 'command', (error) => app.log.warn({ err: error.message }, 'redis connection error'))
      // Start-up does not wait for Redis: the service runs (degraded) without it.
      redis.connect().catch(() => {})
      app.addHook('onClose', async () => redis?.disconnect())
    }
    app.decorate('redis', redis)
    const cache = createCache({ enabled: opts.config.cache.enabled })
    app.decorate('cache', cache)
    app.decorate('writer', createWriter({ database: app.database, cache }))
    app.addHook('onClose', async () => cache.close())
  },
  { name: 'ecar-cache', dependencies: ['ecar-database'] },
)
