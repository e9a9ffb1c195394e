import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'

const Readiness = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded'), Type.Literal('unavailable')]),
  db: Type.Union([Type.Literal('up'), Type.Literal('down')]),
  cache: Type.Union([Type.Literal('up'), Type.Literal('degraded'), Type.Literal('disabled')]),
})

/** Liveness and readiness probes: the database is required, Redis only degrades the cache. */
export async function healthRoutes(app: FastifyInstance) {
  app.get(
    '/healthz',
    {
      config: { public: true },
      schema: {
        tags: ['operations'],
        summary: 'Liveness: 200 while the process runs',
        security: [],
        response: { 200: Type.Object({ status: Type.Literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  )

  app.get(
    '/readyz',
    {
      config: { public: true },
      schema: {
        tags: ['operations'],
        summary: 'Readiness: 503 when the database is unreachable; Redis down makes the cache degraded',
        security: [],
        response: { 200: Readiness, 503: Readiness },
      },
    },
    async (_request, reply) => {
      const db = await app.database.ping().then(
        () => 'up' as const,
        () => 'down' as const,
      )
      const cache = app.cache.health()
      const status = db === 'down' ? 'unavailable' : cache === 'degraded' ? 'degraded' : 'ok'
      if (db === 'down') void reply.code(503).header('retry-after', '5')
      return { status, db, cache } as const
    },
  )
}
