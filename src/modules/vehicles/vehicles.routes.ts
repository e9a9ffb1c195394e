import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { isStaff } from '../../platform/auth/roles.ts'
import { IdParams } from '../../platform/http/common.schemas.ts'
import { PlatformErrors } from '../../platform/http/platform.errors.ts'
import { created, errors, noContent, success } from '../../platform/http/responses.ts'
import { actorOf } from '../../platform/auth/principal.ts'
import type { Tag } from '../../platform/cache/cache-declaration.ts'
import { createShopService } from '../shop/index.ts'
import { customerProfilesTag } from '../users/index.ts'
import { ALL_VEHICLES_TAG, VEHICLE_NAMESPACES, customerVehiclesTag, vehicleTag } from './vehicles.cache.ts'
import { VehicleErrors } from './vehicles.errors.ts'
import { CreateVehicleBody, ListVehiclesQuery, UpdateVehicleBody, VehicleList, VehicleSchema, WrittenVehicleSchema } from './vehicles.schemas.ts'
import { createVehiclesService } from './vehicles.service.ts'
import { assertValidVehicleRequest } from './vehicles.validation.ts'

/** A 403 in this route's own words (the platform lists FORBIDDEN for role checks in general). */
const forbiddenTo = (description: string) => ({ ...PlatformErrors.FORBIDDEN, description })

/** Staff answers show each vehicle's owner (name, phone), so they also depend on customers' profiles. */
function staffAnswer(request: FastifyRequest): boolean {
  return request.principal !== null && isStaff(request.principal.role)
}

/** A customer's list is derived from their vehicles only; staff lists from all of them and their owners. */
function listTags(request: FastifyRequest): Tag[] {
  const principal = request.principal
  if (principal && principal.role === 'customer') return [customerVehiclesTag(principal.userId)]
  return staffAnswer(request) ? [ALL_VEHICLES_TAG, customerProfilesTag()] : [ALL_VEHICLES_TAG]
}

/** Number() gives the id as the validator coerces it, so `/05` and `/5` carry the same tag `vehicle:5`. */
function oneTags(request: FastifyRequest): Tag[] {
  const tag = vehicleTag(Number((request.params as { id?: unknown }).id))
  return staffAnswer(request) ? [tag, customerProfilesTag()] : [tag]
}

/** Routes of the vehicles module (the seed's VehicleListView and update_vehicle). */
export async function vehiclesRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const shop = createShopService({ db: app.db, writer: app.writer, cache: app.dataCache, config: app.config })
  const vehicles = createVehiclesService({
    db: app.db,
    writer: app.writer,
    maxVehiclesPerCustomer: app.config.maxVehiclesPerCustomer,
    events: app.vehicleEvents,
    shop,
  })

  app.get(
    '/',
    {
      config: { permission: 'vehicle:read', cache: { namespace: VEHICLE_NAMESPACES.list, scope: 'user', tags: listTags } },
      schema: {
        tags: ['vehicles'],
        operationId: 'listVehicles',
        summary: 'List vehicles',
        description:
          'A customer gets their own vehicles only; passing the ownerId of someone else is 403 (not an empty list). ' +
          'Staff get all vehicles, each with its owner (id, name, phone), filterable by ownerId and q (every word must be ' +
          'found in plate, VIN, make or model; plates and VINs also match without spaces, -, . and /). Cursor-paginated by id. ' +
          'Response-cached per user (X-Cache); every vehicle write and every change of an owner\'s name or phone shows at once.',
        querystring: ListVehiclesQuery,
        response: { 200: success('A page of vehicles', VehicleList), ...errors({ 403: [forbiddenTo('A customer named the ownerId of someone else')] }) },
      },
    },
    async (request) => vehicles.list(actorOf(request), request.query),
  )

  app.post(
    '/',
    {
      config: { permission: 'vehicle:create' },
      attachValidation: true,
      schema: {
        tags: ['vehicles'],
        operationId: 'createVehicle',
        summary: 'Add a vehicle',
        description:
          'A customer adds a vehicle of their own (naming another ownerId is 403). Advisors and admins must pass ' +
          'the ownerId of an active customer (400 otherwise). Mechanics get 403. odometerUnit defaults to the shop\'s; ' +
          'the mileage is recorded as the vehicle\'s first odometer reading (source customer or staff). A North-American VIN ' +
          '(first character 1-5) whose check digit does not compute is accepted and reported in warnings.',
        body: CreateVehicleBody,
        response: {
          201: created('The new vehicle (with warnings when there are any)', WrittenVehicleSchema),
          ...errors({
            403: [forbiddenTo('A mechanic, or a customer naming another ownerId')],
            409: [VehicleErrors.DUPLICATE_VIN, VehicleErrors.TOO_MANY_VEHICLES],
          }),
        },
      },
    },
    async (request, reply) => {
      assertValidVehicleRequest(request)
      const vehicle = await vehicles.create(actorOf(request), request.body)
      return reply.code(201).header('location', `/api/vehicles/${vehicle.id}`).send(vehicle)
    },
  )

  app.get(
    '/:id',
    {
      config: { permission: 'vehicle:read', cache: { namespace: VEHICLE_NAMESPACES.one, scope: 'user', tags: oneTags } },
      schema: {
        tags: ['vehicles'],
        operationId: 'getVehicle',
        summary: 'Get a vehicle',
        description: "The owner or staff (staff also get owner: id, name, phone); another customer's vehicle is 404.",
        params: IdParams,
        response: { 200: success('The vehicle', VehicleSchema), ...errors({ 404: [VehicleErrors.VEHICLE_NOT_FOUND] }) },
      },
    },
    async (request) => vehicles.get(actorOf(request), request.params.id),
  )

  app.patch(
    '/:id',
    {
      config: { permission: 'vehicle:update' },
      attachValidation: true,
      schema: {
        tags: ['vehicles'],
        operationId: 'updateVehicle',
        summary: 'Change a vehicle',
        description:
          'The owner, advisors and admins. Changing ownerId moves the vehicle to another active customer and is ' +
          'for staff only (a customer gets 403). A changed mileage (in the vehicle\'s odometerUnit, which is set on create ' +
          'only) is recorded as an odometer reading; lowering it is 409 for everyone, admins included: staff lower it only ' +
          'with a correction and a reason (POST /api/vehicles/:id/odometer). A new VIN whose North-American check digit does not compute is accepted and reported in warnings.',
        params: IdParams,
        body: UpdateVehicleBody,
        response: {
          200: success('The vehicle as changed (with warnings when a new VIN has any)', WrittenVehicleSchema),
          ...errors({
            403: [forbiddenTo('A mechanic, or a customer changing ownerId')],
            404: [VehicleErrors.VEHICLE_NOT_FOUND],
            409: [VehicleErrors.DUPLICATE_VIN, VehicleErrors.MILEAGE_DECREASE, VehicleErrors.TOO_MANY_VEHICLES],
          }),
        },
      },
    },
    async (request) => {
      assertValidVehicleRequest(request)
      return vehicles.update(actorOf(request), request.params.id, request.body)
    },
  )

  app.delete(
    '/:id',
    {
      config: { permission: 'vehicle:delete' },
      schema: {
        tags: ['vehicles'],
        operationId: 'deleteVehicle',
        summary: 'Delete a vehicle',
        description: 'The owner, advisors and admins; 409 once the vehicle has open work orders.',
        params: IdParams,
        response: {
          204: noContent('Deleted'),
          ...errors({ 403: [forbiddenTo('A mechanic')], 404: [VehicleErrors.VEHICLE_NOT_FOUND], 409: [VehicleErrors.VEHICLE_HAS_OPEN_WORK_ORDERS, VehicleErrors.VEHICLE_HAS_HISTORY, VehicleErrors.VEHICLE_IN_USE] }),
        },
      },
    },
    async (request, reply) => {
      await vehicles.remove(actorOf(request), request.params.id)
      return reply.code(204).send(null)
    },
  )
}
