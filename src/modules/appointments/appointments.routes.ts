import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { actorOf } from '../../platform/auth/principal.ts'
import type { Tag } from '../../platform/cache/cache-declaration.ts'
import { IdParams } from '../../platform/http/common.schemas.ts'
import { idempotencyClaimOf, IdempotencyHeaders } from '../../platform/http/idempotency.ts'
import { CACHED_HEADERS, created, errors, success } from '../../platform/http/responses.ts'
import { PlatformErrors } from '../../platform/http/platform.errors.ts'
import { AppointmentErrors } from './appointments.errors.ts'
import { createShopService } from '../shop/index.ts'
import { createAppointmentStatusService } from './appointment-status.service.ts'
import { allAppointmentsTag, APPOINTMENT_NAMESPACES, appointmentTag, customerAppointmentsTag, mechanicAppointmentsTag } from './appointments.cache.ts'
import {
  AppointmentList,
  AppointmentSchema,
  AppointmentStatusBody,
  AvailabilityQuery,
  AvailabilitySchema,
  CreateAppointmentBody,
  ListAppointmentsQuery,
  UpdateAppointmentBody,
} from './appointments.schemas.ts'
import { createAppointmentsService } from './appointments.service.ts'
import { createAvailabilityService } from './availability.service.ts'

/** A customer's list derives from their appointments, a mechanic's from those assigned to them, the desk's from all. */
function listTags(request: FastifyRequest): Tag[] {
  const principal = request.principal
  if (principal?.role === 'customer') return [customerAppointmentsTag(principal.userId)]
  if (principal?.role === 'mechanic') return [mechanicAppointmentsTag(principal.userId)]
  return [allAppointmentsTag()]
}

const oneTags = (request: FastifyRequest): Tag[] => [appointmentTag(Number((request.params as { id?: unknown }).id))]

const TAGS = ['appointments']

/** GET /api/availability. */
export async function availabilityRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const shop = createShopService({ db: app.db, writer: app.writer, cache: app.dataCache, config: app.config })
  const availability = createAvailabilityService({ db: app.db, cache: app.dataCache, shop, ttlMs: app.config.cache.responseTtlMs })
  app.get(
    '/',
    {
      config: { permission: 'availability:read' },
      schema: {
        tags: TAGS,
        operationId: 'getAvailability',
        summary: 'Free slots of a shop date',
        description:
          "Every slot of the date's opening hours (shop timezone) of durationMinutes (default one slot; a whole number of slots), starting at " +
          'opening time and every slotMinutes after, ending by closing time. freeBays counts the active bays no requested, confirmed or checked-in ' +
          'appointment holds over the slot (the rule the database enforces on bookings); full slots show 0. Staff also get the free bayIds and the ' +
          'active mechanicIds free over the whole slot. Slots already begun are listed like the others (booking them is 400). The date must lie ' +
          'within 366 days of today. Data-cached per date (X-Cache); every booking, reschedule, cancellation, status change, bay change and change of ' +
          'the shop hours shows at once.',
        querystring: AvailabilityQuery,
        response: { 200: success("The date's slots", AvailabilitySchema, CACHED_HEADERS) },
      },
    },
    async (request, reply) => {
      const { availability: answer, cacheStatus } = await availability.day(actorOf(request), request.query)
      void reply.header('x-cache', cacheStatus).header('cache-control', 'private, no-cache')
      return answer
    },
  )
}

/** /api/appointments. */
export async function appointmentsRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const shop = createShopService({ db: app.db, writer: app.writer, cache: app.dataCache, config: app.config })
  const appointments = createAppointmentsService({ db: app.db, writer: app.writer, shop })
  const statuses = createAppointmentStatusService({ writer: app.writer, shop, checkIn: app.appointmentCheckIn })

  app.get(
    '/',
    {
      config: { permission: 'appointment:read', cache: { namespace: APPOINTMENT_NAMESPACES.list, scope: 'user', tags: listTags } },
      schema: {
        tags: TAGS,
        operationId: 'listAppointments',
        summary: 'List appointments',
        description:
          'Customers get their own, mechanics those assigned to them, advisors and admins all; a customer naming another customerId, or a mechanic ' +
          'another mechanicId, is 403. from/to keep the appointments overlapping [from, to). Cursor-paginated by id. Response-cached per user (X-Cache); ' +
          'every appointment write shows at once.',
        querystring: ListAppointmentsQuery,
        response: { 200: success('A page of appointments', AppointmentList, CACHED_HEADERS), ...errors({ 403: [{ ...PlatformErrors.FORBIDDEN, description: 'A customer or mechanic named someone else' }] }) },
      },
    },
    async (request) => appointments.list(actorOf(request), request.query),
  )

  app.post(
    '/',
    {
      config: { permission: 'appointment:create' },
      schema: {
        tags: TAGS,
        operationId: 'createAppointment',
        summary: 'Book an appointment',
        description:
          'A customer books for a vehicle of their own (status requested); advisors and admins for any vehicle, and may pass status confirmed, bayId, ' +
          'mechanicId and notes (a customer passing those is 403). Without bayId the server gives the lowest-numbered free active bay. The booking ' +
          'lies inside opening hours, starts on a slot boundary, lasts whole slots, starts in the future and at most 90 days ahead (400 otherwise). ' +
          'A time with no free bay, or a named bay or mechanic held then, is 409 ECAR_ERR_SLOT_TAKEN: the database judges (exclusion constraints), so ' +
          'of two bookings racing for the last bay exactly one wins. Honours Idempotency-Key. Audited.',
        headers: IdempotencyHeaders,
        body: CreateAppointmentBody,
        response: {
          201: created('The appointment', AppointmentSchema),
          ...errors({
            403: [{ ...PlatformErrors.FORBIDDEN, description: 'A mechanic, or a customer choosing bay, mechanic, notes or confirmed' }],
            409: [AppointmentErrors.SLOT_TAKEN],
            422: [PlatformErrors.IDEMPOTENCY_KEY_REUSED],
          }),
        },
      },
    },
    async (request, reply) => {
      const answer = await appointments.create(actorOf(request), request.body, idempotencyClaimOf(request))
      if (answer.location) void reply.header('location', answer.location)
      if (answer.replayed) void reply.header('idempotent-replayed', 'true')
      // Only a 201 is ever stored: refused bookings roll their key back with them.
      return reply.code(answer.status as 201).send(answer.body)
    },
  )

  app.get(
    '/:id',
    {
      config: { permission: 'appointment:read', cache: { namespace: APPOINTMENT_NAMESPACES.one, scope: 'user', tags: oneTags } },
      schema: {
        tags: TAGS,
        operationId: 'getAppointment',
        summary: 'Get an appointment',
        description: "The owner, the assigned mechanic, advisors and admins; anyone else's is 404. Response-cached per user.",
        params: IdParams,
        response: { 200: success('The appointment', AppointmentSchema, CACHED_HEADERS), ...errors({ 404: [AppointmentErrors.APPOINTMENT_NOT_FOUND] }) },
      },
    },
    async (request) => appointments.get(actorOf(request), request.params.id),
  )

  app.patch(
    '/:id',
    {
      config: { permission: 'appointment:update' },
      schema: {
        tags: TAGS,
        operationId: 'updateAppointment',
        summary: 'Reschedule or assign an appointment',
        description:
          'Advisors and admins: a new time (same rules as a booking; startsAt alone keeps the duration), another bay, a mechanic (null to ' +
          'unassign), services, requested work, notes. Rescheduled without a bayId, the appointment keeps its bay when free then, else gets another ' +
          'free one. Time, bay and mechanic change only while requested or confirmed (409 appointment-closed). Overlaps are 409 ' +
          'slot-taken, judged by the database. Audited.',
        params: IdParams,
        body: UpdateAppointmentBody,
        response: {
          200: success('The appointment as changed', AppointmentSchema),
          ...errors({ 403: [{ ...PlatformErrors.FORBIDDEN, description: 'Customers and mechanics' }], 404: [AppointmentErrors.APPOINTMENT_NOT_FOUND], 409: [AppointmentErrors.SLOT_TAKEN, AppointmentErrors.APPOINTMENT_CLOSED] }),
        },
      },
    },
    async (request) => appointments.update(actorOf(request), request.params.id, request.body),
  )

  app.post(
    '/:id/status',
    {
      config: { permission: 'appointment:status' },
      schema: {
        tags: TAGS,
        operationId: 'changeAppointmentStatus',
        summary: "Change an appointment's status",
        description:
          'The owner may cancel (requested or confirmed); advisors and admins confirm a requested one, cancel, mark a confirmed one no_show once it ' +
          'has started, and check in a confirmed one with { odometer, odometerUnit? } (odometer only then, 400 otherwise): check-in opens a draft ' +
          'work order and records the reading in the same transaction, and the answer carries workOrderId. A move the status machine does not allow ' +
          'for the caller is 409 ECAR_ERR_ILLEGAL_TRANSITION with allowed. Without the work-order flow, checked_in is 503 ECAR_ERR_CHECK_IN_UNAVAILABLE. Audited.',
        params: IdParams,
        body: AppointmentStatusBody,
        response: {
          200: success('The appointment in its new status', AppointmentSchema),
          ...errors({
            403: [{ ...PlatformErrors.FORBIDDEN, description: 'Mechanics' }],
            404: [AppointmentErrors.APPOINTMENT_NOT_FOUND],
            409: [PlatformErrors.ILLEGAL_TRANSITION],
            503: [AppointmentErrors.CHECK_IN_UNAVAILABLE],
          }),
        },
      },
    },
    async (request) => statuses.change(actorOf(request), request.params.id, request.body),
  )
}
