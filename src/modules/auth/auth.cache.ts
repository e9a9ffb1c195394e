import { tagFamily, type CacheDeclaration } from '../../platform/cache/cache-declaration.ts'

/** The cache tag of one session: touched when the session is deleted so its cached lookup dies everywhere. */
export const sessionTag = tagFamily<[string]>('session:<hash>', "one session's cached lookup (role, name, email, expiry)")

/** The cache key of a session lookup (the auth plugin's hot path). */
export function sessionKey(tokenHash: string): string {
  return `session_${tokenHash}`
}

/** The cache namespace session lookups live in. */
export const SESSION_NAMESPACE = 'session'

/**
 * The encoded size a cached session lookup is budgeted at in the in-process tier (measured: ~210 bytes
 * for an id, role, email, name, token hash and expiry; ~890 bytes of heap each, bench/l1-entry-heap.ts).
 */
export const SESSION_ENCODED_BYTES = 256

/** The auth module's cache declaration: session lookups, in each instance's L1 only. */
export const AUTH_CACHE: CacheDeclaration = {
  namespaces: [
    {
      name: SESSION_NAMESPACE,
      kind: 'session',
      key: 'session_<sha256 of token>',
      holds: 'the session lookup of a bearer token: **L1 only, never in Redis**, never past the session\'s expiry',
      ttlSetting: 'CACHE_TTL_SESSION',
      tags: [sessionTag],
    },
  ],
  tags: [sessionTag],
  writes: [
    { write: 'logout', touches: [sessionTag], note: 'that session' },
    { write: 'password change (own)', touches: [sessionTag], note: 'every other session of the user (deleted)' },
    { write: 'role change, deactivation, password change by an admin', touches: [sessionTag], note: 'every session of the user (deleted)' },
    { write: 'name or email change (any route)', touches: [sessionTag], note: 'every session of the user (kept: lookups carry name and email)' },
    { write: 'password reset, accepted invitation', touches: [sessionTag], note: 'every session of the user (deleted)' },
    { write: 'sign-in beyond MAX_SESSIONS_PER_USER', touches: [sessionTag], note: 'the oldest sessions (deleted)' },
    { write: 'invitation created, reset requested', touches: [], note: 'tokens are never cached' },
  ],
}
