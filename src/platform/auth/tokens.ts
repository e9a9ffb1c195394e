import { hash, randomBytes } from 'node:crypto'

/** A new bearer token: 256 random bits, URL-safe. */
export function newToken(): string {
  return randomBytes(32).toString('base64url')
}

/**
 * The SHA-256 (hex) under which a token's session is stored and cached; the token itself never is.
 * One-shot `hash` costs a third of `createHash().update().digest()` for a short input (0.55 against
 * 1.7 µs here), cheap enough to run on every request without keeping raw tokens in a memo.
 */
export function tokenHash(token: string): string {
  return hash('sha256', token, 'hex')
}

/** The token of an `Authorization: Bearer …` header, or undefined when absent or malformed. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined
  // The scheme is case-insensitive (RFC 9110 11.1); the token is not.
  const match = /^[Bb][Ee][Aa][Rr][Ee][Rr] ([A-Za-z0-9_-]{16,128})$/.exec(header)
  return match?.[1]
}
