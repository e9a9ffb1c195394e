/* The services module: the catalogue of canned jobs. */
import { NO_CACHE } from '../../platform/cache/cache-declaration.ts'
import { defineAccess } from '../../platform/http/access.ts'
import { defineModule } from '../../platform/registry/module-definition.ts'
import { services } from './services.table.ts'

export { services, type ServicePart, type ServiceRow } from './services.table.ts'
export { findServices, listServices } from './services.repository.ts'

/** The service catalogue (routes arrive with the workshop's catalogue management). */
export const servicesModule = defineModule({
  name: 'services',
  routes: [],
  tables: { services },
  cache: NO_CACHE,
  permissions: {},
  access: defineAccess({ rows: {} }),
  errors: {},
})
