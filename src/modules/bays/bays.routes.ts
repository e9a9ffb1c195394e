import type { FastifyInstance } from 'fastify'
import { BayErrors } from './bays.errors.ts'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { actorOf } from '../../platform/auth/principal.ts'
import { IdParams } from '../../platform/http/common.schemas.ts'
import { created, errors, success } from '../../platform/http/responses.ts'
import { BAY_NAMESPACES, baysTag } from './bays.cache.ts'
import { BayList, BaySchema, CreateBayBody, ListBaysQuery, UpdateBayBody } from './bays.schemas.ts'
import { createBaysService } from './bays.service.ts'

/** GET, POST /api/bays and PATCH /api/bays/:id. */
export async function baysRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const bays = createBaysService({ db: app.db, writer: app.writer })

  app.get(
    '/',
    {
      config: { permission: 'bay:read', cache: { namespace: BAY_NAMESPACES.list, scope: 'user', tags: () => [baysTag()] } },
      schema: {
        tags: ['bays'],
        operationId: 'listBays',
        summary: "The shop's bays (staff)",
        description:
          'Every bay (lift, alignment rack, MOT bay) by id, active and inactive alike unless ?active= says which: the board shows ' +
          'inactive bays greyed out, booking uses active ones only. Response-cached per user (tag bays); every bay write shows at once.',
        querystring: ListBaysQuery,
        response: { 200: success('A page of bays', BayList) },
      },
    },
    async (request) => bays.list(request.query),
  )

  app.post(
    '/',
    {
      config: { permission: 'bay:create' },
      schema: {
        tags: ['bays'],
        operationId: 'createBay',
        summary: 'Add a bay (admin)',
        description: 'A new bay, active unless `active: false`. Names are trimmed and unique ignoring case. Audited.',
        body: CreateBayBody,
        response: { 201: created('The new bay', BaySchema), ...errors({ 409: [BayErrors.BAY_NAME_TAKEN] }) },
      },
    },
    async (request, reply) => {
      const bay = await bays.create(actorOf(request), request.body)
      return reply.code(201).header('location', `/api/bays/${bay.id}`).send(bay)
    },
  )

  app.patch(
    '/:id',
    {
      config: { permission: 'bay:update' },
      schema: {
        tags: ['bays'],
        operationId: 'updateBay',
        summary: 'Rename or (de)activate a bay (admin)',
        description:
          'A bay is never deleted (appointments and work orders point at it): deactivate it instead. Deactivating a bay does not ' +
          'move the appointments it already holds. Audited; a PATCH that changes nothing keeps the bay as it is.',
        params: IdParams,
        body: UpdateBayBody,
        response: {
          200: success('The bay as changed', BaySchema),
          ...errors({ 404: [BayErrors.BAY_NOT_FOUND], 409: [BayErrors.BAY_NAME_TAKEN] }),
        },
      },
    },
    async (request) => bays.update(actorOf(request), request.params.id, request.body),
  )
}
