import { and, eq, gt, isNull, sql } from 'drizzle-orm'
import type { Executor } from '../../platform/db/database.ts'
import { accountTokens, type AccountTokenPurpose } from './account-tokens.table.ts'

/** Stores a one-time link token by its hash. */
export async function insertAccountToken(
  tx: Executor,
  token: { tokenHash: string; userId: number; purpose: AccountTokenPurpose; expiresAt: Date },
): Promise<void> {
  await tx.insert(accountTokens).values(token)
}

/**
 * Uses a token: one UPDATE sets `used_at` only where it is unused and unexpired, so of two
 * concurrent uses exactly one gets the user id back. Undefined for an unknown, used or expired token.
 */
export async function consumeAccountToken(tx: Executor, tokenHash: string, purpose: AccountTokenPurpose): Promise<number | undefined> {
  const [row] = await tx
    .update(accountTokens)
    .set({ usedAt: sql`now()` })
    .where(
      and(
        eq(accountTokens.tokenHash, tokenHash),
        eq(accountTokens.purpose, purpose),
        isNull(accountTokens.usedAt),
        gt(accountTokens.expiresAt, sql`now()`),
      ),
    )
    .returning({ userId: accountTokens.userId })
  return row?.userId
}

/**
 * Retires every unused token of a user (of one purpose, or all): after a reset, an email change or
 * an accepted invitation, a link mailed earlier must not work any more.
 */
export async function retireAccountTokens(tx: Executor, userId: number, purpose?: AccountTokenPurpose): Promise<void> {
  await tx
    .update(accountTokens)
    .set({ usedAt: sql`now()` })
    .where(and(eq(accountTokens.userId, userId), isNull(accountTokens.usedAt), purpose ? eq(accountTokens.purpose, purpose) : undefined))
}
