import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from '../config.ts'
import type { AppCache } from './cache.types.ts'
import { createCache } from './create-cache.ts'
import { createWriter, type Writer } from './writer.ts'

declare module 'fastify' {
  interface FastifyInstance {
    cache: AppCache
    writer: Writer
  }
}

/** Connects the cache (Redis or memory, per REDIS_URL) and the transactional writer. */
export const cachePlugin = fp(
  async (app: FastifyInstance, opts: { config: Config }) => {
    const cache = createCache({ enabled: opts.config.cache.enabled })
    app.decorate('cache', cache)
    app.decorate('writer', createWriter({ database: app.database, cache }))
    app.addHook('onClose', async () => cache.close())
  },
  { name: 'ecar-cache', dependencies: ['ecar-database'] },
)
