import { tagFamily, type CacheDeclaration } from '../../platform/cache/cache-declaration.ts'

/*
 * The mechanics are the users module's rows; this module keeps one data-cache entry of them (every
 * staff member sees the same list) under its own tag, and touches it from the account events
 * (account-subscriptions.ts): a mechanic renamed, (de)activated, made or unmade a mechanic, or a
 * new mechanic's account created.
 */

/** The tag of everything derived from the list of mechanics (GET /api/mechanics, availability's mechanicIds). */
export const mechanicsTag = tagFamily('mechanics', "everything derived from the list of mechanics (GET /api/mechanics, availability's free mechanics)")

/** The data-cache entry of the mechanics. */
export const MECHANICS_NAMESPACE = 'mechanic_list'
export const MECHANICS_KEY = 'mechanics_all'

/** The mechanics module's cache declaration. */
export const MECHANICS_CACHE: CacheDeclaration = {
  namespaces: [
    {
      name: MECHANICS_NAMESPACE,
      kind: 'data',
      key: MECHANICS_KEY,
      holds: 'every account with role mechanic (id, name, active), one entry for all staff (GET /api/mechanics filters and pages it)',
      ttlSetting: 'CACHE_TTL_RESPONSE',
      tags: [mechanicsTag],
    },
  ],
  tags: [mechanicsTag],
  writes: [
    {
      write: 'PATCH /api/users/:id, PATCH /api/auth/me (account events)',
      touches: [mechanicsTag],
      note: "when a mechanic's name or active flag changes, or the role changes to or from mechanic (a staff member's own rename too)",
    },
    { write: 'POST /api/users (account-created event)', touches: [mechanicsTag], note: 'when the new account is a mechanic' },
    {
      write: 'CLI create-user --role mechanic',
      touches: [],
      note: 'the CLI has no cache: a running instance shows the new mechanic after CACHE_TTL_RESPONSE at the latest',
    },
  ],
}
