import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Role } from '../../platform/auth/roles.ts'
import { IdParams, problemResponses } from '../../platform/http/common.schemas.ts'
import { ALL_VEHICLES_TAG, VEHICLE_NAMESPACES, customerVehiclesTag, vehicleTag } from './vehicles.cache.ts'
import { CreateVehicleBody, ListVehiclesQuery, UpdateVehicleBody, VehicleList, VehicleSchema } from './vehicles.schemas.ts'
import { actorOf, createVehiclesService } from './vehicles.service.ts'
import { assertValidVehicleRequest } from './vehicles.validation.ts'

/** Who may change vehicles; mechanics read them only. */
const WRITERS: readonly Role[] = ['customer', 'advisor', 'admin']

/** A customer's list is derived from their vehicles only; staff lists from all of them. */
function listTags(request: FastifyRequest): string[] {
  const principal = request.principal
  return principal && principal.role === 'customer' ? [customerVehiclesTag(principal.userId)] : [ALL_VEHICLES_TAG]
}

/** Number() gives the id as the validator coerces it, so `/05` and `/5` carry the same tag `vehicle:5`. */
function oneTags(request: FastifyRequest): string[] {
  return [vehicleTag(Number((request.params as { id?: unknown }).id))]
}

/** Routes of the vehicles module (the seed's VehicleListView and update_vehicle). */
export async function vehiclesRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const vehicles = createVehiclesService({ db: app.db, writer: app.writer, maxVehiclesPerCustomer: app.config.maxVehiclesPerCustomer })
  app.cache.declareNamespaces(...Object.values(VEHICLE_NAMESPACES))

  app.get(
    '/',
    {
      config: { cache: { namespace: VEHICLE_NAMESPACES.list, scope: 'user', tags: listTags } },
      schema: {
        tags: ['vehicles'],
        summary: 'List vehicles',
        description:
          'A customer gets their own vehicles only; passing the ownerId of someone else is 403 (not an empty list). ' +
          'Staff get all vehicles, filterable by ownerId and q. Cursor-paginated by id. ' +
          'Response-cached per user (X-Cache); every vehicle write shows at once.',
        querystring: ListVehiclesQuery,
        response: { 200: VehicleList, ...problemResponses },
      },
    },
    async (request) => vehicles.list(actorOf(request.principal), request.query),
  )

  app.post(
    '/',
    {
      config: { roles: WRITERS },
      attachValidation: true,
      schema: {
        tags: ['vehicles'],
        summary: 'Add a vehicle',
        description:
          'A customer adds a vehicle of their own (naming another ownerId is 403). Advisors and admins must pass ' +
          'the ownerId of an active customer (400 otherwise). Mechanics get 403.',
        body: CreateVehicleBody,
        response: { 201: VehicleSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      assertValidVehicleRequest(request)
      const vehicle = await vehicles.create(actorOf(request.principal), request.body)
      return reply.code(201).send(vehicle)
    },
  )

  app.get(
    '/:id',
    {
      config: { cache: { namespace: VEHICLE_NAMESPACES.one, scope: 'user', tags: oneTags } },
      schema: {
        tags: ['vehicles'],
        summary: 'Get a vehicle',
        description: "The owner or staff; another customer's vehicle is 404.",
        params: IdParams,
        response: { 200: VehicleSchema, ...problemResponses },
      },
    },
    async (request) => vehicles.get(actorOf(request.principal), request.params.id),
  )

  app.patch(
    '/:id',
    {
      config: { roles: WRITERS },
      attachValidation: true,
      schema: {
        tags: ['vehicles'],
        summary: 'Change a vehicle',
        description:
          'The owner, advisors and admins. Changing ownerId moves the vehicle to another active customer and is ' +
          'for staff only (a customer gets 403). Lowering the mileage is 409 unless an admin does it.',
        params: IdParams,
        body: UpdateVehicleBody,
        response: { 200: VehicleSchema, ...problemResponses },
      },
    },
    async (request) => {
      assertValidVehicleRequest(request)
      return vehicles.update(actorOf(request.principal), request.params.id, request.body)
    },
  )

  app.delete(
    '/:id',
    {
      config: { roles: WRITERS },
      schema: {
        tags: ['vehicles'],
        summary: 'Delete a vehicle',
        description: 'The owner, advisors and admins; 409 once the vehicle has open work orders.',
        params: IdParams,
        response: { 204: Type.Null({ description: 'Deleted' }), ...problemResponses },
      },
    },
    async (request, reply) => {
      await vehicles.remove(actorOf(request.principal), request.params.id)
      return reply.code(204).send(null)
    },
  )
}
