import { tagFamily, type CacheDeclaration } from '../../platform/cache/cache-declaration.ts'

/** The shop's settings entry: read by GET /api/shop and by every module that prices, books or dates (through `getShop`). */
export const SHOP_NAMESPACE = 'shop'
export const SHOP_KEY = 'shop_settings'

/** The tag of everything derived from the shop's settings (availability, prices, reminders). */
export const shopTag = tagFamily('shop', "everything derived from the shop's settings (opening hours, rates, intervals)")

/** The shop module's cache declaration. */
export const SHOP_CACHE: CacheDeclaration = {
  namespaces: [
    {
      name: SHOP_NAMESPACE,
      kind: 'data',
      key: SHOP_KEY,
      holds: "the shop's settings row (GET /api/shop, and every module that needs opening hours, rates or the timezone)",
      ttlSetting: 'CACHE_TTL_RESPONSE',
      tags: [shopTag],
    },
  ],
  tags: [shopTag],
  writes: [{ write: 'PATCH /api/shop', touches: [shopTag] }],
}
