import { tagFamily, type CacheDeclaration } from '../../platform/cache/cache-declaration.ts'

/** The tag of everything derived from the shop's bays (which exist, which are active): availability, for one. */
export const baysTag = tagFamily('bays', "everything derived from the shop's bays (availability counts the active ones)")

/** The bays module's cache declaration: no entries of its own yet, the tag others' entries carry. */
export const BAYS_CACHE: CacheDeclaration = {
  namespaces: [],
  tags: [baysTag],
  writes: [{ write: 'POST /api/bays, PATCH /api/bays/:id', touches: [baysTag], note: 'the bay routes land with the workshop\'s bay management' }],
}
