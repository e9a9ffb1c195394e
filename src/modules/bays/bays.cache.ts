import { tagFamily, type CacheDeclaration } from '../../platform/cache/cache-declaration.ts'

/*
 * Cache keys and tags of bays. Bays are a handful of rows that staff lists and availability read
 * together, so one tag stands for all of them: every bay write touches it, and availability (the
 * appointments module) carries it on whatever it derives from the bays.
 */

/** The tag of everything derived from the shop's bays (the bay list, availability). */
export const baysTag = tagFamily('bays', "everything derived from the shop's bays (GET /api/bays, availability)")

/** Cache namespaces of the bay entries. */
export const BAY_NAMESPACES = { list: 'bay_list' } as const

/** The bays module's cache declaration. */
export const BAYS_CACHE: CacheDeclaration = {
  namespaces: [
    {
      name: BAY_NAMESPACES.list,
      kind: 'response',
      key: 'bay_list_u<userId>_<role>_/api/bays|{}|<validated query>',
      holds: 'GET /api/bays, per user (staff only)',
      ttlSetting: 'CACHE_TTL_RESPONSE',
      tags: [baysTag],
    },
  ],
  tags: [baysTag],
  writes: [
    { write: 'POST /api/bays', touches: [baysTag] },
    { write: 'PATCH /api/bays/:id', touches: [baysTag], note: 'only when something changed' },
    { write: 'demo garage (seedBays)', touches: [], note: 'runs on an empty database at start-up, before anything is cached' },
  ],
}
