import { and, eq, inArray } from 'drizzle-orm'
import type { Actor } from '../../platform/auth/principal.ts'
import { definePermissions } from '../../platform/auth/permissions.ts'
import type { Executor } from '../../platform/db/database.ts'
import { appointments } from './appointments.table.ts'

/** Who may do what to appointments: customers their own, mechanics those assigned to them (read), the desk everything. */
export const APPOINTMENT_PERMISSIONS = definePermissions({
  'availability:read': { customer: 'any', mechanic: 'any', advisor: 'any', admin: 'any' },
  'appointment:read': { customer: 'own', mechanic: 'assigned', advisor: 'any', admin: 'any' },
  'appointment:create': { customer: 'own', advisor: 'any', admin: 'any' },
  'appointment:update': { advisor: 'any', admin: 'any' },
  'appointment:status': { customer: 'own', advisor: 'any', admin: 'any' },
} as const)

/** True when the actor's grant reaches this appointment (a row already loaded). */
export function reachesAppointment(actor: Actor, row: { customerId: number; mechanicId: number | null }): boolean {
  if (actor.grant === 'any') return true
  if (actor.grant === 'own') return row.customerId === actor.userId
  return row.mechanicId === actor.userId
}

/** The ids among `ids` of existing appointments the actor's grant reaches, in one query. */
export async function reachableAppointmentIds(db: Executor, actor: Actor, ids: readonly number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set()
  const among = inArray(appointments.id, [...ids])
  const condition =
    actor.grant === 'any'
      ? among
      : and(among, actor.grant === 'own' ? eq(appointments.customerId, actor.userId) : eq(appointments.mechanicId, actor.userId))
  const rows = await db.select({ id: appointments.id }).from(appointments).where(condition)
  return new Set(rows.map((row) => row.id))
}
