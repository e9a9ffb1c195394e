import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { actorOf } from '../../platform/auth/principal.ts'
import type { Tag } from '../../platform/cache/cache-declaration.ts'
import { IdParams } from '../../platform/http/common.schemas.ts'
import { errors, success } from '../../platform/http/responses.ts'
import { VehicleErrors, vehicleTag } from '../vehicles/index.ts'
import { vehicleWorkOrdersTag } from '../work-orders/index.ts'
import { HISTORY_NAMESPACES } from './history.cache.ts'
import { VehicleHistorySchema } from './history.schemas.ts'
import { createHistoryService } from './history.service.ts'

/** Number() gives the id as the validator coerces it, so `/05` and `/5` carry the same tags. */
function historyTags(request: FastifyRequest): Tag[] {
  const id = Number((request.params as { id?: unknown }).id)
  return [vehicleWorkOrdersTag(id), vehicleTag(id)]
}

/** GET /api/vehicles/:id/history (mounted with that prefix). */
export async function historyRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const history = createHistoryService({ db: app.db })

  app.get(
    '/',
    {
      config: { permission: 'history:read', cache: { namespace: HISTORY_NAMESPACES.vehicle, scope: 'user', tags: historyTags } },
      schema: {
        tags: ['history'],
        operationId: 'getVehicleHistory',
        summary: "A vehicle's service history",
        description:
          "The owner and staff; another customer's vehicle is 404. Every work order of the vehicle in any status (newest first) " +
          'with its jobs, the declined jobs as recommendations (work still to offer, with the net as offered), and the multipoint ' +
          'inspections. A customer sees the orders opened for them: a former owner\'s visits stay with the desk. `invoice` is null ' +
          'until the order is invoiced. Response-cached per user (X-Cache); every change of an order, its jobs, decisions or ' +
          'inspection shows at once.',
        params: IdParams,
        response: { 200: success("The vehicle's history", VehicleHistorySchema, ['X-Cache']), ...errors({ 404: [VehicleErrors.VEHICLE_NOT_FOUND] }) },
      },
    },
    async (request) => history.ofVehicle(actorOf(request), request.params.id),
  )
}
