import { tagFamily, type CacheDeclaration } from '../../platform/cache/cache-declaration.ts'
import { shopTag } from '../shop/index.ts'

/*
 * Cache keys and tags of the catalogue. One tag for the whole catalogue (a shop has tens of canned
 * jobs, and lists show them all): every service write touches it. Catalogue answers carry the shop's
 * tag too, because estimatePriceCents is priced at the shop's labour rate: a PATCH /api/shop of the
 * rate must show in the catalogue at once.
 */

/** The tag of everything derived from the service catalogue. */
export const servicesTag = tagFamily('services', 'everything derived from the service catalogue (GET /api/services[/:id], and what appointments and work orders copy from it)')

/** Cache namespaces of the catalogue entries. */
export const SERVICE_NAMESPACES = { list: 'service_list', one: 'service_detail' } as const

/** The services module's cache declaration. */
export const SERVICES_CACHE: CacheDeclaration = {
  namespaces: [
    {
      name: SERVICE_NAMESPACES.list,
      kind: 'response',
      key: 'service_list_u<userId>_<role>_/api/services|{}|<validated query>',
      holds: "GET /api/services, per user (customers see active services only); carries `shop` for the labour rate in estimatePriceCents",
      ttlSetting: 'CACHE_TTL_RESPONSE',
      tags: [servicesTag, shopTag],
    },
    {
      name: SERVICE_NAMESPACES.one,
      kind: 'response',
      key: 'service_detail_u<userId>_<role>_/api/services/:id|{"id":<id>}|{}',
      holds: 'GET /api/services/:id, per user; carries `shop` as the list does',
      ttlSetting: 'CACHE_TTL_RESPONSE',
      tags: [servicesTag, shopTag],
    },
  ],
  tags: [servicesTag],
  writes: [
    { write: 'POST /api/services', touches: [servicesTag], note: 'a 404 for the new id may be cached' },
    { write: 'PATCH /api/services/:id', touches: [servicesTag], note: 'only when something changed' },
    { write: 'demo garage (seedCatalogue)', touches: [], note: 'runs on an empty database at start-up, before anything is cached' },
  ],
}
