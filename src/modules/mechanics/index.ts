/* The mechanics module: the users with role mechanic, as staff pick them for appointments and work orders. */
import { defineModule } from '../../platform/registry/module-definition.ts'
import { mechanicsAccountSubscriptions } from './account-subscriptions.ts'
import { mechanicsAccess } from './mechanics.access.ts'
import { MECHANICS_CACHE } from './mechanics.cache.ts'
import { MECHANIC_PERMISSIONS } from './mechanics.policy.ts'
import { mechanicsRoutes } from './mechanics.routes.ts'

export { mechanicsTag } from './mechanics.cache.ts'
export { createMechanicsService, type MechanicsService } from './mechanics.service.ts'
export { MechanicSchema, type Mechanic } from './mechanics.schemas.ts'

/** GET /api/mechanics (staff). */
export const mechanicsModule = defineModule({
  name: 'mechanics',
  plugins: [mechanicsAccountSubscriptions],
  apiTags: [{ name: 'mechanics', description: 'The mechanics (users with role mechanic) that appointments and work orders are assigned to' }],
  routes: [{ prefix: '/api/mechanics', plugin: mechanicsRoutes }],
  // The rows are the users module's accounts.
  tables: {},
  cache: MECHANICS_CACHE,
  permissions: MECHANIC_PERMISSIONS,
  access: mechanicsAccess,
  errors: {},
})
