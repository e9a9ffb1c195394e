import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { errors, success } from '../../platform/http/responses.ts'
import { unavailable } from '../../platform/http/errors.ts'
import { PlatformErrors } from '../../platform/http/platform.errors.ts'
import { CacheStatsSchema, ClearQuery, ClearResult } from './admin.schemas.ts'
import { createCacheAdmin } from './cache-admin.service.ts'

/** Routes of the admin module: cache monitoring and clearing (the seed's "Maintenance and Monitoring"). */
export async function adminRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const admin = createCacheAdmin({ cache: app.cache, redis: app.redis, log: app.log })

  app.get(
    '/cache/stats',
    {
      config: { permission: 'cache:read' },
      schema: {
        tags: ['operations'],
        operationId: 'getCacheStats',
        summary: 'Cache statistics',
        description:
          "Redis INFO figures (server-wide) beside this instance's own counters, per namespace, with key counts " +
          '(SCAN, bounded in time). On the memory backend there is no redis block.',
        response: { 200: success('Cache figures', CacheStatsSchema) },
      },
    },
    async () => admin.stats(),
  )

  app.delete(
    '/cache',
    {
      config: { permission: 'cache:clear' },
      schema: {
        tags: ['operations'],
        operationId: 'clearCache',
        summary: 'Clear the cache',
        description:
          "Removes this deployment's entries only (its CACHE_PREFIX and CACHE_VERSION), from Redis with SCAN and " +
          'UNLINK in batches (never KEYS or FLUSHDB) and from the L1 of every instance. With ?pattern, only the ' +
          'entries whose logical key matches the glob. Sessions and rate limits are not cache entries.',
        querystring: ClearQuery,
        response: { 200: success('What was removed', ClearResult), ...errors({ 503: [{ ...PlatformErrors.UNAVAILABLE, description: 'Redis did not answer; nothing was cleared' }] }) },
      },
    },
    async (request) => {
      try {
        return { deleted: await admin.clear(request.query.pattern, request.principal!) }
      } catch (error) {
        throw unavailable('Redis did not answer; the cache was not cleared.', error)
      }
    },
  )
}
