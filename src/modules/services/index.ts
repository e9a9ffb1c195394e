/* The services module: the catalogue of canned jobs; its public face and registry entry. */
import { defineModule } from '../../platform/registry/module-definition.ts'
import { servicesAccess } from './services.access.ts'
import { SERVICES_CACHE } from './services.cache.ts'
import { ServiceErrors } from './services.errors.ts'
import { SERVICE_PERMISSIONS } from './services.policy.ts'
import { servicesRoutes } from './services.routes.ts'
import { services } from './services.table.ts'

export { services, type ServicePart, type ServiceRow } from './services.table.ts'
export { findServices, listServices } from './services.repository.ts'
export { servicesTag } from './services.cache.ts'
export { ServiceSchema, type Service } from './services.schemas.ts'
export { serviceEstimateCents, toService } from './services.pricing.ts'
export { DEMO_SERVICES, seedCatalogue } from './services.seed.ts'
export type { ServiceFixtures } from './services.access.ts'

/** GET /api/services[/:id] (anyone signed in), POST and PATCH (advisor, admin). */
export const servicesModule = defineModule({
  name: 'services',
  apiTags: [{ name: 'services', description: 'The service catalogue ("canned jobs") with book times, intervals and estimated prices' }],
  routes: [{ prefix: '/api/services', plugin: servicesRoutes }],
  tables: { services },
  cache: SERVICES_CACHE,
  permissions: SERVICE_PERMISSIONS,
  access: servicesAccess,
  errors: ServiceErrors,
})
