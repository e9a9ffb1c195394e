/*
 * What every appointment write shares: the database as the judge of overlaps (a savepoint per
 * candidate bay, the exclusion constraint deciding), the checks on what a body names, and the tags
 * a changed appointment touches.
 */
import { sql } from 'drizzle-orm'
import type { Touch } from '../../platform/cache/writer.ts'
import type { Executor, Tx } from '../../platform/db/database.ts'
import { sqlState, violatedConstraint } from '../../platform/db/db-errors.ts'
import type { FieldError } from '../../platform/http/errors.ts'
import { problem } from '../../platform/http/errors.ts'
import { findBays, listBays } from '../bays/index.ts'
import { findServices } from '../services/index.ts'
import { AppointmentErrors } from './appointments.errors.ts'
import { activeMechanicIds, BAY_OVERLAP_CONSTRAINT, holdingsBetween, MECHANIC_OVERLAP_CONSTRAINT } from './appointments.repository.ts'
import { shopDatesOf } from './booking-rules.ts'
import { allAppointmentsTag, appointmentDayTag, appointmentTag, customerAppointmentsTag, mechanicAppointmentsTag } from './appointments.cache.ts'
import type { AppointmentRow } from './appointments.table.ts'

/** 409 slot-taken, saying what was taken. */
export const slotTaken = (what: string) => problem(AppointmentErrors.SLOT_TAKEN, what)

/** The active bays not held by another appointment over [startsAt, endsAt), ascending: the candidates to try. */
export async function freeBayIds(tx: Tx, startsAt: Date, endsAt: Date, exceptId?: number): Promise<number[]> {
  const all = await activeBayIds(tx)
  const held = await holdingsBetween(tx, startsAt, endsAt, exceptId)
  const busy = new Set(held.map((h) => h.bayId))
  return all.filter((id) => !busy.has(id))
}

/** The ids of the active bays, ascending. */
export async function activeBayIds(db: Executor): Promise<number[]> {
  return (await listBays(db)).filter((bay) => bay.active).map((bay) => bay.id)
}

/** The first key of the advisory locks that queue one mechanic's bookings ('MECH'). */
const MECHANIC_BOOKINGS_LOCK = 0x4d454348

/**
 * Queues the bookings of one mechanic behind each other until the transaction ends. Without it, two
 * bookings naming the same mechanic in two different bays each wait in the exclusion check for the
 * other's uncommitted row, and PostgreSQL kills one as a deadlock (a 500 instead of a 409). The
 * constraint still decides; this only orders the waiting.
 */
export async function lockMechanicBookings(tx: Tx, mechanicId: number): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${MECHANIC_BOOKINGS_LOCK}::int4, ${mechanicId}::int4)`)
}

/**
 * Runs `write` with each candidate bay, in a savepoint each, until one is not held: the exclusion
 * constraint decides, so two transactions racing for the last bay cannot both get it (the second
 * waits for the first's commit, then fails and tries its next candidate). A busy mechanic, or no
 * candidate left, is 409.
 */
export async function onFirstFreeBay(tx: Tx, candidates: readonly number[], write: (sp: Tx, bayId: number) => Promise<AppointmentRow>): Promise<AppointmentRow> {
  for (const bayId of candidates) {
    try {
      return await tx.transaction((sp) => write(sp as Tx, bayId))
    } catch (error) {
      if (sqlState(error) !== '23P01') throw error
      const constraint = violatedConstraint(error)
      if (constraint === MECHANIC_OVERLAP_CONSTRAINT) throw slotTaken('The mechanic has another appointment at that time.')
      if (constraint !== BAY_OVERLAP_CONSTRAINT) throw error
    }
  }
  throw slotTaken(candidates.length === 1 ? 'That bay is taken at that time.' : 'No bay is free at that time.')
}

/** Field problems of the bay, mechanic and services a body names (each must exist and be active). */
export async function referenceProblems(tx: Tx, named: { bayId?: number | undefined; mechanicId?: number | null | undefined; serviceIds?: readonly number[] | undefined }): Promise<FieldError[]> {
  const problems: FieldError[] = []
  if (named.bayId !== undefined) {
    const [bay] = await findBays(tx, [named.bayId])
    if (!bay || !bay.active) problems.push({ field: 'body.bayId', message: 'is not an active bay' })
  }
  if (named.mechanicId !== undefined && named.mechanicId !== null && (await activeMechanicIds(tx, [named.mechanicId])).length === 0) {
    problems.push({ field: 'body.mechanicId', message: 'is not an active mechanic' })
  }
  if (named.serviceIds && named.serviceIds.length > 0) {
    const found = await findServices(tx, named.serviceIds)
    const active = new Set(found.filter((s) => s.active).map((s) => s.id))
    if (named.serviceIds.some((id) => !active.has(id))) problems.push({ field: 'body.serviceIds', message: 'must name active catalogue services' })
  }
  return problems
}

/** Touches what a write changed: the appointment, the staff lists, its customer's and mechanics' lists, the shop dates held before and after. */
export function touchAppointment(touch: Touch, timeZone: string, after: AppointmentRow, before?: AppointmentRow): void {
  touch(appointmentTag(after.id), allAppointmentsTag(), customerAppointmentsTag(after.customerId))
  const mechanics = new Set([after.mechanicId, before?.mechanicId].filter((id): id is number => typeof id === 'number'))
  for (const id of mechanics) touch(mechanicAppointmentsTag(id))
  const dates = new Set([...shopDatesOf(after.startsAt, after.endsAt, timeZone), ...(before ? shopDatesOf(before.startsAt, before.endsAt, timeZone) : [])])
  for (const date of dates) touch(appointmentDayTag(date))
}
