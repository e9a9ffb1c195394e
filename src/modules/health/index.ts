/* The health module: liveness and readiness probes (and /metrics' matrix row). */
import { NO_CACHE } from '../../platform/cache/cache-declaration.ts'
import { defineAccess } from '../../platform/http/access.ts'
import { defineModule } from '../../platform/registry/module-definition.ts'
import { healthAccess } from './health.access.ts'
import { healthRoutes } from './health.routes.ts'

/** /healthz and /readyz at the root. */
export const healthModule = defineModule({
  name: 'health',
  routes: [{ prefix: '', plugin: healthRoutes }],
  tables: {},
  cache: NO_CACHE,
  // Probes are public: no permission to hold.
  permissions: {},
  access: defineAccess({ rows: healthAccess }),
  errors: {},
})
