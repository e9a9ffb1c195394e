/* The admin module: cache figures and clearing, for admins and for the CLI. */
import { NO_CACHE } from '../../platform/cache/cache-declaration.ts'
import { defineAccess } from '../../platform/http/access.ts'
import { defineModule } from '../../platform/registry/module-definition.ts'
import { ADMIN_PERMISSIONS } from './admin.policy.ts'
import { adminAccess } from './admin.access.ts'
import { adminRoutes } from './admin.routes.ts'

export { createCacheAdmin } from './cache-admin.service.ts'
export type { CacheStats } from './admin.schemas.ts'

/** /api/admin: the cache's figures and pattern clears. */
export const adminModule = defineModule({
  name: 'admin',
  routes: [{ prefix: '/api/admin', plugin: adminRoutes }],
  tables: {},
  cache: NO_CACHE,
  permissions: ADMIN_PERMISSIONS,
  access: defineAccess({ rows: adminAccess }),
  errors: {},
})
