import type { Db } from '../../../src/platform/db/database.ts'
import { newToken, tokenHash } from '../../../src/platform/auth/tokens.ts'
import { accountTokens } from '../tables.ts'

/** A live one-time link token (reset or invitation) of a user, valid for `ttlMs` (negative: already expired). */
export async function createLinkToken(
  db: Db,
  userId: number,
  purpose: 'password_reset' | 'invitation',
  ttlMs = 3_600_000,
): Promise<{ token: string }> {
  const token = newToken()
  await db.insert(accountTokens).values({ tokenHash: tokenHash(token), userId, purpose, expiresAt: new Date(Date.now() + ttlMs) })
  return { token }
}
