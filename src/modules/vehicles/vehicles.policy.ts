import { and, eq, inArray } from 'drizzle-orm'
import type { Actor } from '../../platform/auth/principal.ts'
import { definePermissions } from '../../platform/auth/permissions.ts'
import type { Executor } from '../../platform/db/database.ts'
import { vehicles } from './vehicles.table.ts'

/** Who may do what to vehicles: customers their own, mechanics read any, the front desk everything. */
export const VEHICLE_PERMISSIONS = definePermissions({
  'vehicle:read': { customer: 'own', mechanic: 'any', advisor: 'any', admin: 'any' },
  'vehicle:create': { customer: 'own', advisor: 'any', admin: 'any' },
  'vehicle:update': { customer: 'own', advisor: 'any', admin: 'any' },
  'vehicle:delete': { customer: 'own', advisor: 'any', admin: 'any' },
} as const)

/** True when the actor's grant reaches a vehicle of this owner (for a row already loaded). */
export function reachesVehicle(actor: Actor, ownerId: number): boolean {
  return actor.grant === 'any' || (actor.grant === 'own' && ownerId === actor.userId)
}

/**
 * The ids among `ids` of existing vehicles the actor's grant reaches, in one query: what other
 * modules ask before they attach a vehicle to something (an appointment, a work order).
 */
export async function reachableVehicleIds(db: Executor, actor: Actor, ids: readonly number[]): Promise<Set<number>> {
  if (ids.length === 0 || actor.grant === 'assigned') return new Set()
  const condition = actor.grant === 'any' ? inArray(vehicles.id, [...ids]) : and(inArray(vehicles.id, [...ids]), eq(vehicles.ownerId, actor.userId))
  const rows = await db.select({ id: vehicles.id }).from(vehicles).where(condition)
  return new Set(rows.map((row) => row.id))
}
