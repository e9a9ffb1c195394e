import { createHash, randomBytes } from 'node:crypto'
import { LRUCache } from 'lru-cache'

/** A new bearer token: 256 random bits, URL-safe. */
export function newToken(): string {
  return randomBytes(32).toString('base64url')
}

// Hashing is a measurable share of a cached request; the same tokens come back request after request.
// Tokens are in this process's memory anyway while their requests run; the map never leaves it.
const recentHashes = new LRUCache<string, string>({ max: 10_000 })

/** The SHA-256 (hex) under which a token's session is stored and cached; the token itself never is. */
export function tokenHash(token: string): string {
  let hash = recentHashes.get(token)
  if (hash === undefined) {
    hash = createHash('sha256').update(token).digest('hex')
    recentHashes.set(token, hash)
  }
  return hash
}

/** The token of an `Authorization: Bearer …` header, or undefined when absent or malformed. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined
  const match = /^Bearer ([A-Za-z0-9_-]{16,128})$/.exec(header)
  return match?.[1]
}
