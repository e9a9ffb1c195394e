import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client'
import type { Config } from '../config.ts'
import { errors } from '../http/responses.ts'
import { unauthorized } from '../http/errors.ts'
import { PlatformErrors } from '../http/platform.errors.ts'
import { registerCacheMetrics } from './cache-metrics.ts'
import { closedMetricsAdvice, metricsAccess } from './metrics-access.ts'
import { registerDbMetrics } from './db-metrics.ts'
import { registerHttpMetrics } from './http-metrics.ts'
import { registerRedisMetrics } from './redis-metrics.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** This app's Prometheus registry (never prom-client's global one: tests run many apps per process). */
    metrics: Registry
  }
}

const digest = (text: string) => createHash('sha256').update(text).digest()

/**
 * Checks `Authorization: Bearer <token>` in constant time. Both sides are hashed first, so the
 * buffers timingSafeEqual compares always have the same length and the token's length does not leak.
 */
export function bearerMatches(header: string | undefined, expectedDigest: Buffer): boolean {
  const match = header === undefined ? null : /^Bearer +(\S+) *$/i.exec(header)
  const given = digest(match?.[1] ?? '')
  return timingSafeEqual(given, expectedDigest) && match !== null
}

/**
 * Prometheus metrics at GET /metrics: HTTP, cache, Redis, database and process figures of this
 * instance. When METRICS_TOKEN is set the scraper must send it as a bearer token; without one they
 * are served only when the server listens on loopback (metrics-access.ts).
 */
export const metricsPlugin = fp(
  async (app: FastifyInstance, opts: { config: Config }) => {
    const registry = new Registry()
    app.decorate('metrics', registry)

    collectDefaultMetrics({ register: registry })
    // Several processes can sit behind one scrape address (cluster workers, a load balancer): this
    // series tells their figures apart (process_start_time_seconds is whole seconds, shared by workers).
    new Gauge({
      name: 'ecar_instance_info',
      help: 'This instance: its id (also on the invalidation bus) and process id; always 1',
      labelNames: ['instance_id', 'pid'],
      registers: [registry],
    }).set({ instance_id: app.cache.instanceId, pid: String(process.pid) }, 1)
    registerHttpMetrics(app, registry)
    registerCacheMetrics(registry, app.cache)
    const unhookDb = registerDbMetrics(registry, app.database)
    const unhookRedis = app.redis ? registerRedisMetrics(registry, app.redis) : undefined
    app.addHook('onClose', async () => {
      unhookDb()
      unhookRedis?.()
    })

    const token = opts.config.metricsToken
    const expected = token === undefined ? undefined : digest(token)
    const closed = metricsAccess(opts.config) === 'closed'
    if (closed) app.log.warn({ host: opts.config.host }, closedMetricsAdvice(opts.config.host))

    app.get(
      '/metrics',
      {
        // Not an /api/ route and not a session: the scraper authenticates with METRICS_TOKEN, if any.
        config: { public: true },
        schema: {
          tags: ['operations'],
          operationId: 'getMetrics',
          summary: 'Prometheus metrics (bearer METRICS_TOKEN; without one, served on loopback only)',
          description: 'HTTP, cache (per namespace), Redis, database and process figures of the instance that answers.',
          // Without METRICS_TOKEN: open on a loopback HOST, 401 beyond it (metrics-access.ts).
          security: [{}, { metricsToken: [] }],
          response: {
            200: {
              description: 'Prometheus text exposition format',
              headers: { 'Cache-Control': { description: 'no-store', type: 'string' } },
              content: { 'text/plain': { schema: { type: 'string' } } },
            },
            ...errors({
              401: [{ ...PlatformErrors.UNAUTHORIZED, description: 'Not the METRICS_TOKEN bearer token, or no METRICS_TOKEN while the server listens beyond loopback' }],
            }),
          },
        },
      },
      async (request, reply) => {
        if (closed) throw unauthorized(closedMetricsAdvice(opts.config.host))
        if (expected && !bearerMatches(request.headers.authorization, expected)) throw unauthorized('A valid metrics token is required.')
        const body = await registry.metrics()
        return reply.type(registry.contentType).header('cache-control', 'no-store').send(body)
      },
    )
  },
  {
    name: 'ecar-metrics',
    dependencies: ['ecar-database', 'ecar-cache'],
  },
)
