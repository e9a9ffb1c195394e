import { tagFamily, type CacheDeclaration } from '../../platform/cache/cache-declaration.ts'

/*
 * The users module caches nothing of its own, but owns accounts, so it owns the tag of every cached
 * answer that shows a customer's name or phone. One tag for all customers, because a response's
 * tags are fixed before it is loaded (from the request, src/platform/cache/response-cache.types.ts):
 * a staff list cannot know in advance whose vehicles it will hold. Staff lists already carry
 * `vehicles`, touched by every vehicle write, so a shared tag costs little; the customers' own
 * answers have no `owner` and do not carry it.
 *
 * An account change runs `app.accountEvents` (account-events.ts) in its transaction, and the modules
 * that keep something derived from accounts touch their own tags there: auth the session lookups,
 * customers the owner views, vehicles a customer's vehicle list, mechanics the list of mechanics
 * (which also follows account creation).
 */

/** The tag of every cached answer that shows a customer's name or phone: touched whenever one changes. */
export const customerProfilesTag = tagFamily('customers', "every cached answer that shows a customer's name or phone (staff vehicle answers' `owner`)")

/** The users module's cache declaration. */
export const USERS_CACHE: CacheDeclaration = {
  namespaces: [],
  tags: [customerProfilesTag],
  writes: [
    {
      write: 'POST /api/users',
      touches: [],
      note: 'runs the account-created event: mechanics touches `mechanics` for a new mechanic (no other cached entry can describe a new account)',
    },
    { write: 'first admin, demo garage, CLI', touches: [], note: 'no running instance caches anything of these accounts (the CLI: see mechanics)' },
    {
      write: 'PATCH /api/users/:id',
      touches: [],
      note: 'runs the account events: what the subscribers touch is listed under auth, customers and vehicles',
    },
  ],
}
