import { Type, type Static } from 'typebox'
import { ListOf, PageQuery } from '../../platform/http/common.schemas.ts'
import { TEXT_KEYWORD } from '../../platform/http/validation.ts'
import type { AppointmentRow } from './appointments.table.ts'

const id = (description?: string) => Type.Integer({ minimum: 1, maximum: 2_147_483_647, ...(description ? { description } : {}) })
const Timestamp = (description?: string) => Type.String({ format: 'date-time', ...(description ? { description } : {}) })
const text = (maxLength: number, description: string) => Type.String({ minLength: 1, maxLength, [TEXT_KEYWORD]: true, description })
const Status = Type.Union([
  Type.Literal('requested'),
  Type.Literal('confirmed'),
  Type.Literal('checked_in'),
  Type.Literal('cancelled'),
  Type.Literal('no_show'),
])
const ServiceIds = Type.Array(id(), { maxItems: 20, uniqueItems: true, description: 'Catalogue services (GET /api/services), each active' })
const RequestedWork = text(2000, "The customer's words: what they want done or what is wrong")
const Notes = text(2000, 'Desk notes (staff)')
const Odometer = Type.Integer({ minimum: 0, maximum: 2_000_000, description: 'The reading at check-in' })
const OdometerUnit = Type.Union([Type.Literal('km'), Type.Literal('mi')], { description: "Defaults to the vehicle's unit" })
const ShopDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'A shop date, YYYY-MM-DD in the shop timezone' })

/** An appointment as the API shows it. */
export const AppointmentSchema = Type.Object(
  {
    id: Type.Integer(),
    customerId: Type.Integer(),
    vehicleId: Type.Integer(),
    startsAt: Timestamp(),
    endsAt: Timestamp(),
    status: Status,
    bayId: Type.Integer(),
    mechanicId: Type.Union([Type.Integer(), Type.Null()]),
    serviceIds: Type.Array(Type.Integer()),
    requestedWork: Type.Union([Type.String(), Type.Null()]),
    notes: Type.Union([Type.String(), Type.Null()]),
    workOrderId: Type.Union([Type.Integer(), Type.Null()], { description: 'The work order opened at check-in' }),
    createdAt: Timestamp(),
    updatedAt: Timestamp(),
  },
  {
    title: 'Appointment',
    description: 'A booked visit: it holds its bay (and mechanic) for [startsAt, endsAt) while requested, confirmed or checked in',
    examples: [
      {
        id: 7, customerId: 12, vehicleId: 42, startsAt: '2026-12-03T09:00:00.000Z', endsAt: '2026-12-03T10:00:00.000Z', status: 'confirmed',
        bayId: 2, mechanicId: 5, serviceIds: [3], requestedWork: 'Squeak from the front brakes', notes: null, workOrderId: null,
        createdAt: '2026-12-01T10:00:00.000Z', updatedAt: '2026-12-01T10:00:00.000Z',
      },
    ],
  },
)
export type Appointment = Static<typeof AppointmentSchema>

/** The API object of a row. */
export function toAppointment(row: AppointmentRow): Appointment {
  return {
    id: row.id,
    customerId: row.customerId,
    vehicleId: row.vehicleId,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    status: row.status,
    bayId: row.bayId,
    mechanicId: row.mechanicId,
    serviceIds: row.serviceIds,
    requestedWork: row.requestedWork,
    notes: row.notes,
    workOrderId: row.workOrderId,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}

/** `{ items, nextCursor }` of appointments. */
export const AppointmentList = ListOf(AppointmentSchema)

/** The body of POST /api/appointments. */
export const CreateAppointmentBody = Type.Object(
  {
    vehicleId: id('A vehicle of the customer (a customer: one of their own); the appointment is its owner\'s'),
    startsAt: Timestamp('On a slot boundary inside opening hours, in the future, at most 90 days ahead'),
    endsAt: Timestamp('startsAt plus a whole number of slots, by closing time'),
    serviceIds: Type.Optional(ServiceIds),
    requestedWork: Type.Optional(RequestedWork),
    bayId: Type.Optional(id('Staff only: this bay (409 ECAR_ERR_SLOT_TAKEN when it is held); otherwise the server picks a free one')),
    mechanicId: Type.Optional(id('Staff only: an active mechanic (409 ECAR_ERR_SLOT_TAKEN when busy then)')),
    status: Type.Optional(Type.Union([Type.Literal('requested'), Type.Literal('confirmed')], { description: 'Staff only: confirmed at once; default requested' })),
    notes: Type.Optional(Notes),
  },
  { additionalProperties: false },
)
export type CreateAppointmentInput = Static<typeof CreateAppointmentBody>

/** The body of PATCH /api/appointments/:id: at least one field. */
export const UpdateAppointmentBody = Type.Object(
  {
    startsAt: Type.Optional(Timestamp('Reschedule: same rules as a booking; alone, the duration is kept')),
    endsAt: Type.Optional(Timestamp('Reschedule: same rules as a booking')),
    bayId: Type.Optional(id('Another active bay (409 ECAR_ERR_SLOT_TAKEN when held)')),
    mechanicId: Type.Optional(Type.Union([id(), Type.Null()], { description: 'An active mechanic, or null to unassign' })),
    serviceIds: Type.Optional(ServiceIds),
    requestedWork: Type.Optional(Type.Union([RequestedWork, Type.Null()])),
    notes: Type.Optional(Type.Union([Notes, Type.Null()])),
  },
  { additionalProperties: false, minProperties: 1 },
)
export type UpdateAppointmentInput = Static<typeof UpdateAppointmentBody>

/** The body of POST /api/appointments/:id/status. */
export const AppointmentStatusBody = Type.Object(
  {
    status: Type.Union([Type.Literal('confirmed'), Type.Literal('checked_in'), Type.Literal('cancelled'), Type.Literal('no_show')]),
    odometer: Type.Optional(Odometer),
    odometerUnit: Type.Optional(OdometerUnit),
  },
  { additionalProperties: false },
)
export type AppointmentStatusInput = Static<typeof AppointmentStatusBody>

/** `?from=&to=&status=&bayId=&mechanicId=&customerId=&limit=&cursor=` of GET /api/appointments. */
export const ListAppointmentsQuery = Type.Object(
  {
    from: Type.Optional(Timestamp('Only appointments ending after this instant')),
    to: Type.Optional(Timestamp('Only appointments starting before this instant')),
    status: Type.Optional(Status),
    bayId: Type.Optional(id()),
    mechanicId: Type.Optional(id('A mechanic may only name themself (403 otherwise)')),
    customerId: Type.Optional(id('A customer may only name themself (403 otherwise)')),
    ...PageQuery,
  },
  { additionalProperties: false },
)
export type ListAppointmentsInput = Static<typeof ListAppointmentsQuery>

/** `?date=&durationMinutes=` of GET /api/availability. */
export const AvailabilityQuery = Type.Object(
  {
    date: ShopDate,
    durationMinutes: Type.Optional(Type.Integer({ minimum: 5, maximum: 1440, description: "A whole number of the shop's slotMinutes; default one slot" })),
  },
  { additionalProperties: false },
)
export type AvailabilityInput = Static<typeof AvailabilityQuery>

/** The answer of GET /api/availability. */
export const AvailabilitySchema = Type.Object(
  {
    date: Type.String(),
    timezone: Type.String(),
    slots: Type.Array(
      Type.Object({
        startsAt: Timestamp(),
        endsAt: Timestamp(),
        freeBays: Type.Integer({ minimum: 0 }),
        bayIds: Type.Optional(Type.Array(Type.Integer(), { description: 'Staff only: the free bays' })),
        mechanicIds: Type.Optional(Type.Array(Type.Integer(), { description: 'Staff only: the active mechanics free for the whole slot' })),
      }),
    ),
  },
  { title: 'Availability', description: "One shop date's slots of the asked length" },
)
export type Availability = Static<typeof AvailabilitySchema>

/** The answer of a status change: the appointment (with workOrderId after a check-in). */
export const AppointmentStatusAnswer = AppointmentSchema
