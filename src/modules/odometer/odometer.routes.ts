import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { actorOf } from '../../platform/auth/principal.ts'
import type { Tag } from '../../platform/cache/cache-declaration.ts'
import { IdParams } from '../../platform/http/common.schemas.ts'
import { OdometerErrors } from './odometer.errors.ts'
import { created, errors, success } from '../../platform/http/responses.ts'
import { VehicleErrors, vehicleTag } from '../vehicles/index.ts'
import { ODOMETER_NAMESPACES, vehicleOdometerTag } from './odometer.cache.ts'
import { ListReadingsQuery, ReadingList, ReadingSchema, RecordReadingBody } from './odometer.schemas.ts'
import { createOdometerService } from './odometer.service.ts'

/** Number() gives the id as the validator coerces it, so `/05` and `/5` carry the same tags. */
function listTags(request: FastifyRequest): Tag[] {
  const id = Number((request.params as { id?: unknown }).id)
  return [vehicleOdometerTag(id), vehicleTag(id)]
}

/** GET and POST /api/vehicles/:id/odometer (mounted with that prefix). */
export async function odometerRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const odometer = createOdometerService({ db: app.db, writer: app.writer })

  app.get(
    '/',
    {
      config: { permission: 'odometer:read', cache: { namespace: ODOMETER_NAMESPACES.list, scope: 'user', tags: listTags } },
      schema: {
        tags: ['odometer'],
        operationId: 'listOdometerReadings',
        summary: "A vehicle's odometer readings, newest first",
        description:
          'The owner and staff; another customer\'s vehicle is 404. Newest first by recordedAt (then id), cursor-paginated. ' +
          'Each reading is shown as read (value and unit); the vehicle\'s mileage is the latest of them in its own unit. ' +
          'Response-cached per user (X-Cache); every reading shows at once.',
        params: IdParams,
        querystring: ListReadingsQuery,
        response: { 200: success('A page of readings, newest first', ReadingList), ...errors({ 404: [VehicleErrors.VEHICLE_NOT_FOUND] }) },
      },
    },
    async (request) => odometer.list(actorOf(request), request.params.id, request.query),
  )

  app.post(
    '/',
    {
      config: { permission: 'odometer:record' },
      schema: {
        tags: ['odometer'],
        operationId: 'recordOdometerReading',
        summary: 'Record an odometer reading',
        description:
          'The owner and staff. unit defaults to the vehicle\'s odometerUnit, recordedAt to now (never in the future). A reading must ' +
          'lie between its neighbours in time, compared in km (1 mi = 1.609344 km, rounded half away from zero): below the latest ' +
          'reading before it, or above one after it, is 409 ECAR_ERR_ODOMETER_DECREASE unless staff send correction: true with a ' +
          'reason (a customer\'s correction is 403 ECAR_ERR_CORRECTION_STAFF_ONLY). The vehicle\'s mileage becomes its latest ' +
          'reading by recordedAt, converted to its unit: a back-dated reading leaves it as it is, and a correction is the only way ' +
          'to lower it. Readings of one vehicle apply one after the other. Audited. Location is the vehicle\'s readings list.',
        params: IdParams,
        body: RecordReadingBody,
        response: {
          201: created('The reading as recorded', ReadingSchema),
          ...errors({ 403: [OdometerErrors.CORRECTION_STAFF_ONLY], 404: [VehicleErrors.VEHICLE_NOT_FOUND], 409: [OdometerErrors.ODOMETER_DECREASE] }),
        },
      },
    },
    async (request, reply) => {
      const reading = await odometer.record(actorOf(request), request.params.id, request.body)
      return reply.code(201).header('location', `/api/vehicles/${request.params.id}/odometer`).send(reading)
    },
  )
}
