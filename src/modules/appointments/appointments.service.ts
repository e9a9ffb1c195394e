import { inArray } from 'drizzle-orm'
import type { Actor } from '../../platform/auth/principal.ts'
import type { Touch, Writer } from '../../platform/cache/writer.ts'
import type { Db, Executor, Tx } from '../../platform/db/database.ts'
import { problem } from '../../platform/http/errors.ts'
import { forbidden, invalidInput } from '../../platform/http/errors.ts'
import { runIdempotent, type IdempotencyClaim, type IdempotentAnswer } from '../../platform/http/idempotency.ts'
import { decodeCursor, toPage } from '../../platform/http/pagination.ts'
import { changesBetween, recordAudit } from '../audit/index.ts'
import type { ShopService } from '../shop/index.ts'
import { reachableVehicleIds, vehicles } from '../vehicles/index.ts'
import { freeBayIds, lockMechanicBookings, onFirstFreeBay, referenceProblems, touchAppointment } from './appointment-writes.ts'
import { AppointmentErrors } from './appointments.errors.ts'
import { reachesAppointment } from './appointments.policy.ts'
import { findAppointment, insertAppointment, listAppointments, lockAppointment, updateAppointment, type AppointmentValues } from './appointments.repository.ts'
import { toAppointment, type Appointment, type CreateAppointmentInput, type ListAppointmentsInput, type UpdateAppointmentInput } from './appointments.schemas.ts'
import type { AppointmentRow } from './appointments.table.ts'
import { bookingProblems } from './booking-rules.ts'

const DEFAULT_PAGE_SIZE = 50

/** What the appointments service needs. */
export interface AppointmentsServiceDeps {
  db: Db
  writer: Writer
  shop: ShopService
  now?: () => Date
}

/** 404 for an appointment that does not exist or is out of reach. */
export const appointmentNotFound = () => problem(AppointmentErrors.APPOINTMENT_NOT_FOUND, 'Appointment not found.')

const invalid = (errors: { field: string; message: string }[]) => invalidInput('The request is invalid; see errors.', errors)

/** The owner of a vehicle the actor reaches, or a 400 (a vehicle of someone else is as unknown as none). */
async function ownerOfReachableVehicle(tx: Executor, actor: Actor, vehicleId: number): Promise<number> {
  const reachable = await reachableVehicleIds(tx, actor, [vehicleId])
  const [row] = reachable.has(vehicleId) ? await tx.select({ ownerId: vehicles.ownerId }).from(vehicles).where(inArray(vehicles.id, [vehicleId])) : []
  if (!row) throw invalid([{ field: 'body.vehicleId', message: actor.role === 'customer' ? 'is not a vehicle of yours' : 'is not a vehicle' }])
  return row.ownerId
}

/** The appointment use cases: bookings, lists, the desk's changes. Status changes are in appointment-status.service.ts. */
export function createAppointmentsService(deps: AppointmentsServiceDeps) {
  const { db, writer, shop } = deps
  const now = deps.now ?? (() => new Date())

  /** Audits and touches a created or changed appointment (the timezone read before the transaction: PGlite has one connection). */
  async function recorded(tx: Tx, touch: Touch, timeZone: string, actor: Actor, action: string, after: AppointmentRow, before?: AppointmentRow) {
    const changes = changesBetween(before ? toAppointment(before) : null, toAppointment(after))
    delete changes.updatedAt
    await recordAudit(tx, { actorId: actor.userId, action, entity: 'appointment', entityId: after.id, changes })
    touchAppointment(touch, timeZone, after, before)
  }

  return {
    /** A page of the appointments the actor may see, filtered. */
    async list(actor: Actor, query: ListAppointmentsInput) {
      let { customerId, mechanicId } = query
      if (actor.grant === 'own') {
        if (customerId !== undefined && customerId !== actor.userId) throw forbidden('A customer can only list their own appointments.')
        customerId = actor.userId
      } else if (actor.grant === 'assigned') {
        if (mechanicId !== undefined && mechanicId !== actor.userId) throw forbidden('A mechanic can only list the appointments assigned to them.')
        mechanicId = actor.userId
      }
      const limit = query.limit ?? DEFAULT_PAGE_SIZE
      const rows = await listAppointments(db, {
        from: query.from ? new Date(query.from) : undefined,
        to: query.to ? new Date(query.to) : undefined,
        status: query.status,
        bayId: query.bayId,
        mechanicId,
        customerId,
        afterId: decodeCursor(query.cursor),
        limit: limit + 1,
      })
      return toPage(rows, limit, toAppointment)
    },

    /** One appointment in the actor's reach; 404 otherwise. */
    async get(actor: Actor, id: number): Promise<Appointment> {
      const row = await findAppointment(db, id)
      if (!row || !reachesAppointment(actor, row)) throw appointmentNotFound()
      return toAppointment(row)
    },

    /** Books: once per Idempotency-Key; the database picks among the free bays (or judges the named one). */
    async create(actor: Actor, input: CreateAppointmentInput, claim: IdempotencyClaim | null): Promise<IdempotentAnswer<Appointment>> {
      const staff = actor.role === 'advisor' || actor.role === 'admin'
      if (!staff) {
        const staffOnly = (['bayId', 'mechanicId', 'notes'] as const).filter((field) => input[field] !== undefined)
        if (staffOnly.length > 0 || input.status === 'confirmed') throw forbidden(`Only the front desk chooses ${[...staffOnly, ...(input.status === 'confirmed' ? ['status'] : [])].join(', ')}.`)
      }
      // Read outside the transaction: on a cache miss it queries through the pool, which the transaction may hold.
      const settings = await shop.row()
      return writer.transaction((tx, touch) =>
        runIdempotent(tx, claim, async () => {
          const startsAt = new Date(input.startsAt)
          const endsAt = new Date(input.endsAt)
          const problems = [...bookingProblems(startsAt, endsAt, now(), settings), ...(await referenceProblems(tx, input))]
          if (problems.length > 0) throw invalid(problems)
          const customerId = await ownerOfReachableVehicle(tx, actor, input.vehicleId)
          const values: Omit<AppointmentValues, 'bayId'> = {
            customerId,
            vehicleId: input.vehicleId,
            startsAt,
            endsAt,
            status: input.status ?? 'requested',
            mechanicId: input.mechanicId ?? null,
            serviceIds: input.serviceIds ?? [],
            requestedWork: input.requestedWork?.trim() ?? null,
            notes: input.notes?.trim() ?? null,
          }
          if (values.mechanicId != null) await lockMechanicBookings(tx, values.mechanicId)
          const candidates = input.bayId !== undefined ? [input.bayId] : await freeBayIds(tx, startsAt, endsAt)
          const row = await onFirstFreeBay(tx, candidates, (sp, bayId) => insertAppointment(sp, { ...values, bayId }))
          await recorded(tx, touch, settings.timezone, actor, 'appointment.created', row)
          return { status: 201, body: toAppointment(row), location: `/api/appointments/${row.id}` }
        }),
      )
    },

    /** The desk's changes: reschedule, bay, mechanic, services, notes; the same overlap rule as a booking. */
    async update(actor: Actor, id: number, input: UpdateAppointmentInput): Promise<Appointment> {
      const settings = await shop.row()
      return writer.transaction(async (tx, touch) => {
        const before = await lockAppointment(tx, id)
        if (!before || !reachesAppointment(actor, before)) throw appointmentNotFound()
        const startsAt = input.startsAt !== undefined ? new Date(input.startsAt) : before.startsAt
        const endsAt =
          input.endsAt !== undefined ? new Date(input.endsAt) : input.startsAt !== undefined ? new Date(startsAt.getTime() + (before.endsAt.getTime() - before.startsAt.getTime())) : before.endsAt
        const retimed = startsAt.getTime() !== before.startsAt.getTime() || endsAt.getTime() !== before.endsAt.getTime()
        const rebayed = input.bayId !== undefined && input.bayId !== before.bayId
        const remechanic = input.mechanicId !== undefined && input.mechanicId !== before.mechanicId
        if ((retimed || rebayed || remechanic) && before.status !== 'requested' && before.status !== 'confirmed') {
          throw problem(AppointmentErrors.APPOINTMENT_CLOSED, `The appointment is ${before.status.replace('_', ' ')}: its time, bay and mechanic no longer change.`)
        }
        const problems = [
          ...(retimed ? bookingProblems(startsAt, endsAt, now(), settings) : []),
          ...(await referenceProblems(tx, { bayId: rebayed ? input.bayId : undefined, mechanicId: remechanic ? input.mechanicId : undefined, serviceIds: input.serviceIds })),
        ]
        if (problems.length > 0) throw invalid(problems)
        const changes: Partial<AppointmentValues> = {
          ...(retimed ? { startsAt, endsAt } : {}),
          ...(input.mechanicId !== undefined ? { mechanicId: input.mechanicId } : {}),
          ...(input.serviceIds !== undefined ? { serviceIds: input.serviceIds } : {}),
          ...(input.requestedWork !== undefined ? { requestedWork: input.requestedWork?.trim() ?? null } : {}),
          ...(input.notes !== undefined ? { notes: input.notes?.trim() ?? null } : {}),
        }
        const mechanicAfter = input.mechanicId !== undefined ? input.mechanicId : before.mechanicId
        if (mechanicAfter !== null && (retimed || remechanic)) await lockMechanicBookings(tx, mechanicAfter)
        // Keep the bay when it is free at the new time; otherwise (not named) move to another free one.
        const candidates = input.bayId !== undefined ? [input.bayId] : retimed ? [before.bayId, ...(await freeBayIds(tx, startsAt, endsAt, id)).filter((b) => b !== before.bayId)] : [before.bayId]
        const after = await onFirstFreeBay(tx, candidates, (sp, bayId) => updateAppointment(sp, id, { ...changes, bayId }))
        if (after.updatedAt.getTime() !== before.updatedAt.getTime()) await recorded(tx, touch, settings.timezone, actor, 'appointment.updated', after, before)
        return toAppointment(after)
      })
    },
  }
}

/** The appointments service. */
export type AppointmentsService = ReturnType<typeof createAppointmentsService>

