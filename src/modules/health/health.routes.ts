import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { success } from '../../platform/http/responses.ts'

const Readiness = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded'), Type.Literal('unavailable')]),
  db: Type.Union([Type.Literal('up'), Type.Literal('down')]),
  cache: Type.Union([Type.Literal('up'), Type.Literal('degraded'), Type.Literal('disabled')]),
}, { title: 'Readiness', description: 'What the instance depends on, and whether it is up' })

/** Liveness and readiness probes: the database is required, Redis only degrades the cache. */
export async function healthRoutes(app: FastifyInstance) {
  app.get(
    '/healthz',
    {
      config: { public: true },
      schema: {
        tags: ['operations'],
        operationId: 'getHealth',
        summary: 'Liveness: 200 while the process runs',
        security: [],
        response: { 200: success('The process runs', Type.Object({ status: Type.Literal('ok') }, { title: 'Health' })) },
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
        operationId: 'getReadiness',
        summary: 'Readiness: 503 when the database is unreachable; Redis down makes the cache degraded',
        security: [],
        response: {
          200: success('Ready: the database is up (the cache may be degraded)', Readiness),
          503: { ...success('Not ready: the database is unreachable', Readiness, ['Retry-After']) },
        },
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
