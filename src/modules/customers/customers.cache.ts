import type { CacheDeclaration } from '../../platform/cache/cache-declaration.ts'
import type { Touch } from '../../platform/cache/writer.ts'
import { customerProfilesTag } from '../users/index.ts'
import { customerVehiclesTag } from '../vehicles/index.ts'

/*
 * The customers module's one data-cache entry, GET /api/customers/:id/vehicles (the seed's
 * get_customer_vehicles), and what its writes touch. GET /api/customers[/:id] read the database.
 * The rows are the users module's accounts and the vehicles module's vehicles, so the tags are
 * theirs: `customer:<id>:vehicles` (vehicles) and `customers` (users, every answer that shows a
 * customer's name or phone).
 */

/** The namespace of the customer vehicle lists. */
export const CUSTOMER_VEHICLES_NAMESPACE = 'customer_vehicles'

/** The data-cache key of a customer's vehicle list: the seed's `customer_vehicles_<id>`. */
export function customerVehiclesKey(customerId: number): string {
  return `customer_vehicles_${customerId}`
}

/**
 * Touches everything that shows a customer's name or phone as a vehicle's owner: the staff vehicle
 * answers (`customers`) and the customer's own `customer_vehicles_<id>`, which keeps its owner.
 */
export function touchCustomerOwnerViews(touch: Touch, customerId: number): void {
  touch(customerProfilesTag(), customerVehiclesTag(customerId))
}

/** The customers module's cache declaration. */
export const CUSTOMERS_CACHE: CacheDeclaration = {
  namespaces: [
    {
      name: CUSTOMER_VEHICLES_NAMESPACE,
      kind: 'data',
      key: 'customer_vehicles_<customerId>',
      holds: 'the seed\'s entry: the list of a customer\'s vehicles and its owner `{ id, name, phone }` (staff answers show it on each vehicle); empty lists included',
      ttlSetting: 'CACHE_TTL_CUSTOMER_VEHICLES',
      tags: [customerVehiclesTag],
    },
  ],
  tags: [],
  writes: [
    { write: 'POST /api/customers', touches: [customerVehiclesTag], note: 'a new id: nothing is cached for it, but the entry\'s meaning changes' },
    {
      write: 'a customer\'s name or phone changes (PATCH /api/customers/:id, PATCH /api/auth/me, PATCH /api/users/:id: account events)',
      touches: [customerProfilesTag, customerVehiclesTag],
    },
    { write: 'PATCH /api/customers/:id notes, remindersConsent', touches: [], note: 'nothing cached holds them' },
    { write: 'POST /api/customers/:id/invitations', touches: [], note: 'a token row and an outbox row' },
  ],
}
