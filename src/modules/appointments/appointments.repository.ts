import { and, asc, eq, gt, inArray, lt, ne, type SQL } from 'drizzle-orm'
import type { Executor } from '../../platform/db/database.ts'
import { updatedAtFor } from '../../platform/db/updated-at.ts'
import { users } from '../users/index.ts'
import { BAY_HOLDING_APPOINTMENT_STATUSES, type AppointmentStatus } from './appointment.machine.ts'
import { appointments, type AppointmentRow } from './appointments.table.ts'

/** The writable columns of an appointment. */
export type AppointmentValues = Omit<typeof appointments.$inferInsert, 'id' | 'createdAt' | 'updatedAt'>

/** The exclusion constraints of the hand-written migration: a violation (SQLSTATE 23P01) names one. */
export const BAY_OVERLAP_CONSTRAINT = 'appointments_bay_no_overlap'
export const MECHANIC_OVERLAP_CONSTRAINT = 'appointments_mechanic_no_overlap'

/** What a page of appointments is filtered by. */
export interface AppointmentFilter {
  from?: Date | undefined
  to?: Date | undefined
  status?: AppointmentStatus | undefined
  bayId?: number | undefined
  mechanicId?: number | undefined
  customerId?: number | undefined
  afterId: number
  limit: number
}

/** Appointments matching the filter, by ascending id. */
export async function listAppointments(db: Executor, filter: AppointmentFilter): Promise<AppointmentRow[]> {
  const conditions: SQL[] = [gt(appointments.id, filter.afterId)]
  if (filter.from) conditions.push(gt(appointments.endsAt, filter.from))
  if (filter.to) conditions.push(lt(appointments.startsAt, filter.to))
  if (filter.status) conditions.push(eq(appointments.status, filter.status))
  if (filter.bayId !== undefined) conditions.push(eq(appointments.bayId, filter.bayId))
  if (filter.mechanicId !== undefined) conditions.push(eq(appointments.mechanicId, filter.mechanicId))
  if (filter.customerId !== undefined) conditions.push(eq(appointments.customerId, filter.customerId))
  return db.select().from(appointments).where(and(...conditions)).orderBy(asc(appointments.id)).limit(filter.limit)
}

/** One appointment, or undefined. */
export async function findAppointment(db: Executor, id: number): Promise<AppointmentRow | undefined> {
  const [row] = await db.select().from(appointments).where(eq(appointments.id, id)).limit(1)
  return row
}

/** One appointment, locked until the transaction ends. */
export async function lockAppointment(tx: Executor, id: number): Promise<AppointmentRow | undefined> {
  const [row] = await tx.select().from(appointments).where(eq(appointments.id, id)).for('update')
  return row
}

/** Inserts an appointment; an overlap raises 23P01 naming one of the exclusion constraints. */
export async function insertAppointment(tx: Executor, values: AppointmentValues): Promise<AppointmentRow> {
  const [row] = await tx.insert(appointments).values(values).returning()
  return row!
}

/** Inserts many appointments in one statement (the demo). */
export async function insertAppointments(tx: Executor, rows: readonly AppointmentValues[]): Promise<AppointmentRow[]> {
  if (rows.length === 0) return []
  return tx.insert(appointments).values([...rows]).returning()
}

/** Updates an appointment's columns, and updatedAt when one really changes. */
export async function updateAppointment(tx: Executor, id: number, changes: Partial<AppointmentValues>): Promise<AppointmentRow> {
  const [row] = await tx
    .update(appointments)
    .set({ ...changes, updatedAt: updatedAtFor(appointments, changes, appointments.updatedAt) })
    .where(eq(appointments.id, id))
    .returning()
  return row!
}

/** A bay-holding appointment's claim on a bay and a mechanic. */
export interface Holding {
  bayId: number
  mechanicId: number | null
  startsAt: Date
  endsAt: Date
}

/** The bay-holding appointments overlapping [from, to), but `exceptId` (the one being rescheduled). */
export async function holdingsBetween(db: Executor, from: Date, to: Date, exceptId?: number): Promise<Holding[]> {
  const conditions: SQL[] = [
    inArray(appointments.status, [...BAY_HOLDING_APPOINTMENT_STATUSES]),
    lt(appointments.startsAt, to),
    gt(appointments.endsAt, from),
  ]
  if (exceptId !== undefined) conditions.push(ne(appointments.id, exceptId))
  return db
    .select({ bayId: appointments.bayId, mechanicId: appointments.mechanicId, startsAt: appointments.startsAt, endsAt: appointments.endsAt })
    .from(appointments)
    .where(and(...conditions))
}

/** The ids of active mechanics, ascending (of `among`, when given). */
export async function activeMechanicIds(db: Executor, among?: readonly number[]): Promise<number[]> {
  const conditions: SQL[] = [eq(users.role, 'mechanic'), eq(users.active, true)]
  if (among) {
    if (among.length === 0) return []
    conditions.push(inArray(users.id, [...among]))
  }
  const rows = await db.select({ id: users.id }).from(users).where(and(...conditions)).orderBy(asc(users.id))
  return rows.map((row) => row.id)
}
