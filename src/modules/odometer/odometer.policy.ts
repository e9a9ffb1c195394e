import type { Actor } from '../../platform/auth/principal.ts'
import { definePermissions } from '../../platform/auth/permissions.ts'
import type { Executor } from '../../platform/db/database.ts'
import { reachableVehicleIds } from '../vehicles/index.ts'

/** Who may read and record odometer readings: a customer for their own vehicles, staff for any (corrections: staff only, in the service). */
export const ODOMETER_PERMISSIONS = definePermissions({
  'odometer:read': { customer: 'own', mechanic: 'any', advisor: 'any', admin: 'any' },
  'odometer:record': { customer: 'own', mechanic: 'any', advisor: 'any', admin: 'any' },
} as const)

/** The ids among `vehicleIds` whose readings the actor's grant reaches: those of the vehicles it reaches, in one query. */
export async function reachableReadings(db: Executor, actor: Actor, vehicleIds: readonly number[]): Promise<Set<number>> {
  return reachableVehicleIds(db, actor, vehicleIds)
}
