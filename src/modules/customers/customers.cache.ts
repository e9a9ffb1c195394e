import { eq } from 'drizzle-orm'
import type { Touch } from '../../platform/cache/writer.ts'
import type { Executor } from '../../platform/db/database.ts'
import { touchUserSessions } from '../auth/sessions.repository.ts'
import { ALL_VEHICLES_TAG, customerVehiclesTag, vehicleTag } from '../vehicles/vehicles.cache.ts'
import { vehicles } from '../vehicles/vehicles.table.ts'

/*
 * The customers module caches nothing of its own (GET /api/customers[/:id] read the database).
 * What its writes invalidate:
 *
 * | write                                             | tags touched                                                        |
 * |---------------------------------------------------|---------------------------------------------------------------------|
 * | POST /api/customers                               | customer:<id>:vehicles                                              |
 * | PATCH /api/customers/:id name or phone            | customer:<id>:vehicles, vehicles, vehicle:<vid> of each of their    |
 * |                                                   | vehicles (staff vehicle answers carry owner { id, name, phone })    |
 * | PATCH /api/customers/:id name or email            | session:<hash> of each of the customer's sessions (kept, not ended) |
 * | PATCH /api/customers/:id notes, remindersConsent  | none (nothing cached holds them)                                    |
 * | POST /api/customers/:id/invitations               | none (a token row and an outbox row)                                |
 */

/**
 * Touches everything that shows a customer's name or phone next to their vehicles: their vehicle
 * list, the staff lists over all vehicles and each of their vehicles' details.
 */
export async function touchCustomerOwnerViews(tx: Executor, touch: Touch, customerId: number): Promise<void> {
  const owned = await tx.select({ id: vehicles.id }).from(vehicles).where(eq(vehicles.ownerId, customerId))
  touch(customerVehiclesTag(customerId), ALL_VEHICLES_TAG, ...owned.map((v) => vehicleTag(v.id)))
}

/** Touches what a change of a customer's profile makes stale: owner views (name, phone) and session lookups (name, email). */
export async function afterCustomerChange(
  tx: Executor,
  touch: Touch,
  change: { customerId: number; name: boolean; phone: boolean; email: boolean },
): Promise<void> {
  if (change.name || change.phone) await touchCustomerOwnerViews(tx, touch, change.customerId)
  if (change.name || change.email) await touchUserSessions(tx, touch, change.customerId)
}
