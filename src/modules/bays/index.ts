/* The bays module: the shop's bays, which appointments hold; its public face and registry entry. */
import { defineModule } from '../../platform/registry/module-definition.ts'
import { baysAccess } from './bays.access.ts'
import { BAYS_CACHE } from './bays.cache.ts'
import { BayErrors } from './bays.errors.ts'
import { BAY_PERMISSIONS } from './bays.policy.ts'
import { baysRoutes } from './bays.routes.ts'
import { bays } from './bays.table.ts'

export { bays, type BayRow } from './bays.table.ts'
export { findBays, insertBay, listBays } from './bays.repository.ts'
export { baysTag } from './bays.cache.ts'
export { BaySchema, toBay, type Bay } from './bays.schemas.ts'
export { DEMO_BAYS, seedBays } from './bays.seed.ts'
export type { BayFixtures } from './bays.access.ts'

/** GET /api/bays (staff), POST and PATCH (admin). */
export const baysModule = defineModule({
  name: 'bays',
  apiTags: [{ name: 'bays', description: "The shop's bays (lifts, alignment rack, MOT bay) that appointments hold" }],
  routes: [{ prefix: '/api/bays', plugin: baysRoutes }],
  tables: { bays },
  cache: BAYS_CACHE,
  permissions: BAY_PERMISSIONS,
  access: baysAccess,
  errors: BayErrors,
})
