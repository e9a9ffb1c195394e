import { tagFamily, type CacheDeclaration } from '../../platform/cache/cache-declaration.ts'
import { customerProfilesTag } from '../users/index.ts'

/*
 * Cache keys and tags of vehicles, and which write touches which tag. docs/caching.md is generated
 * from these declarations (`npm run docs:cache`); test/docs/caching-doc.test.ts fails when it is not.
 * Any other module that changes what these hold (a user's role leaving `customer`, a vehicle
 * removed with its owner) must touch the same tags.
 */

/** The tag of everything derived from one customer's vehicles. */
export const customerVehiclesTag = tagFamily<[number]>('customer:<id>:vehicles', "everything derived from one customer's vehicles")

/** The tag of everything derived from one vehicle. */
export const vehicleTag = tagFamily<[number]>('vehicle:<id>', 'everything derived from one vehicle')

/** The tag of every staff view over all vehicles: touched by every vehicle write. */
export const allVehiclesTag = tagFamily('vehicles', 'every staff view over all vehicles')
export const ALL_VEHICLES_TAG = allVehiclesTag()

/** Cache namespaces of the vehicle entries, for TTL settings, stats and pattern clears. */
export const VEHICLE_NAMESPACES = {
  list: 'vehicle_list',
  one: 'vehicle_detail',
} as const

/** The vehicles module's cache declaration. */
export const VEHICLES_CACHE: CacheDeclaration = {
  namespaces: [
    {
      name: VEHICLE_NAMESPACES.list,
      kind: 'response',
      key: 'vehicle_list_u<userId>_<role>_<route pattern>|<params>|<validated query>',
      holds:
        'GET /api/vehicles, per user (params and query as key-sorted JSON, hashed when longer than 160 characters; **not cached** with `q`): ' +
        'a customer\'s carries `customer:<userId>:vehicles`, staff\'s `vehicles` and `customers` (they show each owner)',
      ttlSetting: 'CACHE_TTL_RESPONSE',
      tags: [customerVehiclesTag, allVehiclesTag, customerProfilesTag],
    },
    {
      name: VEHICLE_NAMESPACES.one,
      kind: 'response',
      key: 'vehicle_detail_u<userId>_<role>_/api/vehicles/:id|{"id":<id>}|{}',
      holds: 'GET /api/vehicles/:id, per user (staff answers also carry `customers`: they show the owner)',
      ttlSetting: 'CACHE_TTL_RESPONSE',
      tags: [vehicleTag, customerProfilesTag],
    },
  ],
  tags: [customerVehiclesTag, vehicleTag, allVehiclesTag],
  writes: [
    { write: 'POST /api/vehicles', touches: [customerVehiclesTag, allVehiclesTag, vehicleTag], note: '`vehicle:<new id>`: a 404 for that id may be cached' },
    { write: 'PATCH /api/vehicles/:id', touches: [vehicleTag, allVehiclesTag, customerVehiclesTag], note: 'on an ownership change the new owner\'s too' },
    { write: 'DELETE /api/vehicles/:id', touches: [vehicleTag, allVehiclesTag, customerVehiclesTag] },
    {
      write: 'account role or active flag changes (account events)',
      touches: [customerVehiclesTag],
      note: 'the customer data cache holds only customers: such a change may add or remove one',
    },
  ],
}
