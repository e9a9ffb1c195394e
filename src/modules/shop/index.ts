/* The shop module: the garage's settings (hours, rates, timezone, intervals), which booking and pricing read. */
import { definePermissions } from '../../platform/auth/permissions.ts'
import { defineAccess } from '../../platform/http/access.ts'
import { defineModule } from '../../platform/registry/module-definition.ts'
import { shopRows } from './shop.access.ts'
import { SHOP_CACHE } from './shop.cache.ts'
import { shopRoutes } from './shop.routes.ts'
import { shopSettings } from './shop.table.ts'

export { createShopService, type ShopService } from './shop.service.ts'
export { readShop } from './shop.repository.ts'
export { minutesOf, type Shop } from './shop.schemas.ts'
export { shopTag } from './shop.cache.ts'
export type { OpeningHours, ShopRow } from './shop.table.ts'

/** GET (anyone) and PATCH (admin) /api/shop. */
export const shopModule = defineModule({
  name: 'shop',
  apiTags: [{ name: 'shop', description: "The shop's settings: hours, rates, timezone, service intervals" }],
  routes: [{ prefix: '/api/shop', plugin: shopRoutes }],
  tables: { shopSettings },
  cache: SHOP_CACHE,
  permissions: definePermissions({ 'shop:update': { admin: 'any' } } as const),
  access: defineAccess({ rows: shopRows }),
  errors: {},
})
