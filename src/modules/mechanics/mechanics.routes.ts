import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { success } from '../../platform/http/responses.ts'
import { ListMechanicsQuery, MechanicList } from './mechanics.schemas.ts'
import { createMechanicsService } from './mechanics.service.ts'

/** GET /api/mechanics. */
export async function mechanicsRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const mechanics = createMechanicsService({ db: app.db, cache: app.dataCache, ttlMs: app.config.cache.responseTtlMs })

  app.get(
    '/',
    {
      config: { permission: 'mechanic:list' },
      schema: {
        tags: ['mechanics'],
        operationId: 'listMechanics',
        summary: 'The mechanics (staff)',
        description:
          'Every account with role mechanic, by id, active and inactive unless ?active= says which (the board shows who worked on ' +
          'a job even after they left). From one data-cache entry shared by all staff (key mechanics_all, tag mechanics): a new ' +
          "mechanic (POST /api/users), a mechanic's rename, (de)activation or change of role shows at once on every instance. " +
          'An account made with the CLI while the server runs shows after CACHE_TTL_RESPONSE at the latest (the CLI has no cache to invalidate).',
        querystring: ListMechanicsQuery,
        response: { 200: success('A page of mechanics', MechanicList, ['X-Cache']) },
      },
    },
    async (request, reply) => {
      const { page, status } = await mechanics.list(request.query)
      void reply.header('x-cache', status)
      return page
    },
  )
}
