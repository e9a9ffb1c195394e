/* The bays module: the shop's bays, which appointments hold. */
import { NO_CACHE } from '../../platform/cache/cache-declaration.ts'
import { defineAccess } from '../../platform/http/access.ts'
import { defineModule } from '../../platform/registry/module-definition.ts'
import { bays } from './bays.table.ts'

export { bays, type BayRow } from './bays.table.ts'
export { findBays, listBays } from './bays.repository.ts'

/** Bays (routes arrive with the workshop's bay management). */
export const baysModule = defineModule({
  name: 'bays',
  routes: [],
  tables: { bays },
  cache: NO_CACHE,
  permissions: {},
  access: defineAccess({ rows: {} }),
  errors: {},
})
