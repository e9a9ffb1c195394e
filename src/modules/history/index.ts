/* The history module: a vehicle's service history, put together from the modules that hold its parts. */
import { defineModule } from '../../platform/registry/module-definition.ts'
import { historyAccess } from './history.access.ts'
import { HISTORY_CACHE } from './history.cache.ts'
import { HISTORY_PERMISSIONS } from './history.policy.ts'
import { historyRoutes } from './history.routes.ts'

/** GET /api/vehicles/:id/history. */
export const historyModule = defineModule({
  name: 'history',
  apiTags: [{ name: 'history', description: "A vehicle's service history: its visits, recommendations and inspections" }],
  routes: [{ prefix: '/api/vehicles/:id/history', plugin: historyRoutes }],
  tables: {},
  cache: HISTORY_CACHE,
  permissions: HISTORY_PERMISSIONS,
  access: historyAccess,
  errors: {},
})
