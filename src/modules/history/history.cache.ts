import type { CacheDeclaration } from '../../platform/cache/cache-declaration.ts'
import { vehicleTag } from '../vehicles/index.ts'
import { vehicleWorkOrdersTag } from '../work-orders/index.ts'

/*
 * Cache keys and tags of a vehicle's history (docs/caching.md is generated from this, `npm run
 * docs:cache`). The history owns no tag: it is made of work orders, whose every write touches
 * `vehicle:<id>:work_orders` (work-orders.cache.ts), and of the vehicle, whose reach `vehicle:<id>` follows.
 */

/** Cache namespaces of the history entries. */
export const HISTORY_NAMESPACES = { vehicle: 'vehicle_history' } as const

/** The history module's cache declaration. */
export const HISTORY_CACHE: CacheDeclaration = {
  namespaces: [
    {
      name: HISTORY_NAMESPACES.vehicle,
      kind: 'response',
      key: 'vehicle_history_u<userId>_<role>_/api/vehicles/:id/history|{"id":<id>}|{}',
      holds:
        "GET /api/vehicles/:id/history, per user: carries `vehicle:<id>:work_orders` (its visits, jobs, recommendations and " +
        "inspections) and `vehicle:<id>` (who may see the vehicle: a change of owner or a delete makes it a 404)",
      ttlSetting: 'CACHE_TTL_RESPONSE',
      tags: [vehicleWorkOrdersTag, vehicleTag],
    },
  ],
  tags: [],
  writes: [],
}
