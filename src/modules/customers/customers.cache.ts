import type { Touch } from '../../platform/cache/writer.ts'
import type { Executor } from '../../platform/db/database.ts'
import { retireAccountTokens } from '../auth/account-tokens.repository.ts'
import { touchUserSessions } from '../auth/sessions.repository.ts'
import { customerVehiclesTag } from '../vehicles/vehicles.cache.ts'

/*
 * The customers module caches nothing of its own (GET /api/customers[/:id] read the database), but
 * other modules' cached answers show a customer's profile.
 *
 * | tag         | read by                                                    | touched by                                         |
 * |-------------|------------------------------------------------------------|----------------------------------------------------|
 * | `customers` | staff GET /api/vehicles and GET /api/vehicles/:id (`owner`) | every change of a customer's name or phone (any write) |
 * | `customer:<id>:vehicles` | `customer_vehicles_<id>` (it keeps the owner for staff answers) | the same changes of that customer, and every write of their vehicles |
 *
 * One tag for all customers, because a response's tags are fixed before it is loaded (from the
 * request, src/platform/cache/response-cache.types.ts): a staff list cannot know in advance whose
 * vehicles it will hold. Staff lists already carry `vehicles`, touched by every vehicle write, so
 * a shared tag costs little; the customers' own answers have no `owner` and do not carry it.
 *
 * | write                                             | tags touched                                                        |
 * |---------------------------------------------------|---------------------------------------------------------------------|
 * | POST /api/customers                               | customer:<id>:vehicles                                              |
 * | PATCH /api/customers/:id name or phone            | customers, customer:<id>:vehicles                                   |
 * | PATCH /api/customers/:id name or email            | session:<hash> of each of the customer's sessions (kept, not ended) |
 * | the same changes by PATCH /api/users/:id or /me   | the same, through `afterProfileChange`                              |
 * | PATCH /api/customers/:id notes, remindersConsent  | none (nothing cached holds them)                                    |
 * | POST /api/customers/:id/invitations               | none (a token row and an outbox row)                                |
 */

/** The tag of every cached answer that shows a customer's name or phone: touch it whenever one changes. */
export const CUSTOMER_PROFILES_TAG = 'customers'

/**
 * Touches everything that shows a customer's name or phone as a vehicle's owner: the staff vehicle
 * answers (`customers`) and the customer's own `customer_vehicles_<id>`, which keeps its owner.
 */
export function touchCustomerOwnerViews(touch: Touch, customerId: number): void {
  touch(CUSTOMER_PROFILES_TAG, customerVehiclesTag(customerId))
}

/**
 * What a change of an account's name, phone or email makes stale, whoever makes it (staff with
 * PATCH /api/customers/:id, an admin with PATCH /api/users/:id, the user with PATCH /api/auth/me):
 * a customer's name or phone shows as the owner in staff vehicle answers, the cached session
 * lookups carry the name and the email, and a new email or password retires the open reset and
 * invitation links (mailed to an old address, or made moot by the new password).
 */
export async function afterProfileChange(
  tx: Executor,
  touch: Touch,
  change: { userId: number; customer: boolean; name: boolean; phone: boolean; email: boolean; password?: boolean },
): Promise<void> {
  if (change.customer && (change.name || change.phone)) touchCustomerOwnerViews(touch, change.userId)
  if (change.name || change.email) await touchUserSessions(tx, touch, change.userId)
  if (change.email || change.password) await retireAccountTokens(tx, change.userId)
}
