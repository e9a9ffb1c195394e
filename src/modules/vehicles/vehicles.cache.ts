/*
 * Cache keys and tags of vehicles, and which write touches which tag.
 *
 * | cached data                                   | key / namespace                                | tags                          | TTL                          |
 * |-----------------------------------------------|------------------------------------------------|-------------------------------|------------------------------|
 * | GET /api/customers/:id/vehicles (data cache)   | customer_vehicles_<id> / customer_vehicles     | customer:<id>:vehicles        | CACHE_TTL_CUSTOMER_VEHICLES  |
 * | GET /api/vehicles as a customer (response)     | per user / vehicle_list                        | customer:<userId>:vehicles    | CACHE_TTL_RESPONSE           |
 * | GET /api/vehicles as staff (response)          | per user / vehicle_list                        | vehicles, customers           | CACHE_TTL_RESPONSE           |
 * | GET /api/vehicles/:id (response)               | per user / vehicle_detail                      | vehicle:<id> (staff: +customers) | CACHE_TTL_RESPONSE        |
 *
 * | write                          | touches                                                                                  |
 * |--------------------------------|------------------------------------------------------------------------------------------|
 * | create vehicle                 | customer:<owner>:vehicles, vehicles, vehicle:<new id> (a 404 for that id may be cached)  |
 * | update vehicle                 | vehicle:<id>, vehicles, customer:<owner>:vehicles                                        |
 * | move vehicle (ownerId change)  | as update, plus customer:<new owner>:vehicles                                            |
 * | delete vehicle                 | vehicle:<id>, vehicles, customer:<owner>:vehicles                                        |
 * | create customer (front desk)   | customer:<new id>:vehicles                                                               |
 * | a user's name or phone changes | customers (staff answers show `owner`; customers/customers.cache.ts)                     |
 *
 * Any other module that changes what these hold (a user's role leaving `customer`, a vehicle
 * removed with its owner) must touch the same tags.
 */

/** The data-cache key of a customer's vehicle list: the seed's `customer_vehicles_<id>`. */
export function customerVehiclesKey(customerId: number): string {
  return `customer_vehicles_${customerId}`
}

/** The tag of everything derived from one customer's vehicles. */
export function customerVehiclesTag(customerId: number): string {
  return `customer:${customerId}:vehicles`
}

/** The tag of everything derived from one vehicle. */
export function vehicleTag(vehicleId: number): string {
  return `vehicle:${vehicleId}`
}

/** The tag of every staff view over all vehicles: touched by every vehicle write. */
export const ALL_VEHICLES_TAG = 'vehicles'

/** Cache namespaces of the vehicle entries, for TTL settings, stats and pattern clears. */
export const VEHICLE_NAMESPACES = {
  customerVehicles: 'customer_vehicles',
  list: 'vehicle_list',
  one: 'vehicle_detail',
} as const
