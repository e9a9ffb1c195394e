/* The bays module: the shop's bays, which appointments hold. */
import { defineAccess } from '../../platform/http/access.ts'
import { defineModule } from '../../platform/registry/module-definition.ts'
import { BAYS_CACHE } from './bays.cache.ts'
import { bays } from './bays.table.ts'

export { bays, type BayRow } from './bays.table.ts'
export { findBays, insertBay, listBays } from './bays.repository.ts'
export { baysTag } from './bays.cache.ts'

/** Bays (routes arrive with the workshop's bay management). */
export const baysModule = defineModule({
  name: 'bays',
  routes: [],
  tables: { bays },
  cache: BAYS_CACHE,
  permissions: {},
  access: defineAccess({ rows: {} }),
  errors: {},
})
