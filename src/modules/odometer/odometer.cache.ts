import { tagFamily, type CacheDeclaration } from '../../platform/cache/cache-declaration.ts'
import { allVehiclesTag, customerVehiclesTag, vehicleTag } from '../vehicles/index.ts'

/*
 * Cache keys and tags of odometer readings, and which write touches which tag (docs/caching.md is
 * generated from this, `npm run docs:cache`). A reading that changes the vehicle's mileage also
 * touches the vehicle's own tags (through the vehicles module's setMileageFromReading).
 */

/** The tag of everything derived from one vehicle's odometer readings. */
export const vehicleOdometerTag = tagFamily<[number]>('vehicle:<id>:odometer', "everything derived from one vehicle's odometer readings")

/** Cache namespaces of the odometer entries. */
export const ODOMETER_NAMESPACES = { list: 'odometer_list' } as const

/** The odometer module's cache declaration. */
export const ODOMETER_CACHE: CacheDeclaration = {
  namespaces: [
    {
      name: ODOMETER_NAMESPACES.list,
      kind: 'response',
      key: 'odometer_list_u<userId>_<role>_<route pattern>|{"id":<id>}|<validated query>',
      holds:
        "GET /api/vehicles/:id/odometer, per user: carries `vehicle:<id>:odometer` (its readings) and `vehicle:<id>` (who may see the vehicle: " +
        'an ownership change or a delete makes it a 404)',
      ttlSetting: 'CACHE_TTL_RESPONSE',
      tags: [vehicleOdometerTag, vehicleTag],
    },
  ],
  tags: [vehicleOdometerTag],
  writes: [
    {
      write: 'POST /api/vehicles/:id/odometer (and recordReading: check-in)',
      touches: [vehicleOdometerTag, vehicleTag, allVehiclesTag, customerVehiclesTag],
      note: "the vehicle's tags only when its mileage changes (a back-dated reading leaves it)",
    },
    {
      write: 'POST /api/vehicles, PATCH /api/vehicles/:id (a new or changed mileage: vehicle events)',
      touches: [vehicleOdometerTag],
      note: 'the vehicle write touches its own tags',
    },
  ],
}
