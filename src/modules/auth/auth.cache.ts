/** The cache tag of one session: touched when the session is deleted so its cached lookup dies everywhere. */
export function sessionTag(tokenHash: string): string {
  return `session:${tokenHash}`
}

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
