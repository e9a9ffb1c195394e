import { and, desc, eq, gt, inArray, lt, ne } from 'drizzle-orm'
import type { SessionLookup } from '../../platform/auth/principal.ts'
import type { Executor } from '../../platform/db/database.ts'
import type { Touch } from '../../platform/cache/writer.ts'
import { users } from '../users/index.ts'
import { sessionTag } from './auth.cache.ts'
import { sessions } from './sessions.table.ts'

/** A live session as the auth plugin caches it: the principal plus when the session ends. */
export type { SessionLookup } from '../../platform/auth/principal.ts'

/**
 * The principal of a session that exists, has not expired and belongs to an active user, or
 * undefined. The result is frozen because cached lookups are shared by every request of a user.
 */
export async function findLiveSession(db: Executor, tokenHash: string, now = new Date()): Promise<SessionLookup | undefined> {
  const [row] = await db
    .select({ userId: users.id, role: users.role, email: users.email, name: users.name, expiresAt: sessions.expiresAt })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, now), eq(users.active, true)))
    .limit(1)
  if (!row) return undefined
  return Object.freeze({ ...row, sessionId: tokenHash, expiresAt: row.expiresAt.getTime() })
}

/** Stores a new session for a token hash. */
export async function insertSession(tx: Executor, session: { tokenHash: string; userId: number; expiresAt: Date }): Promise<void> {
  await tx.insert(sessions).values(session)
}

/** Deletes one session and touches its tag; true when it existed. */
export async function deleteSession(tx: Executor, touch: Touch, tokenHash: string): Promise<boolean> {
  const deleted = await tx.delete(sessions).where(eq(sessions.tokenHash, tokenHash)).returning({ tokenHash: sessions.tokenHash })
  // Touched even when the row was already gone: a lookup cached before must still die.
  touch(sessionTag(tokenHash))
  return deleted.length > 0
}

/**
 * Deletes a user's sessions (all, or all but `exceptTokenHash`) and touches each one's tag, so a
 * cached lookup cannot keep a revoked token alive. Returns how many were deleted.
 */
export async function revokeSessions(tx: Executor, touch: Touch, filter: { userId: number; exceptTokenHash?: string }): Promise<number> {
  const where =
    filter.exceptTokenHash === undefined
      ? eq(sessions.userId, filter.userId)
      : and(eq(sessions.userId, filter.userId), ne(sessions.tokenHash, filter.exceptTokenHash))
  const deleted = await tx.delete(sessions).where(where).returning({ tokenHash: sessions.tokenHash })
  for (const row of deleted) touch(sessionTag(row.tokenHash))
  return deleted.length
}

/**
 * Touches the tag of every session of a user, for writes that change what a cached lookup holds
 * (name, email, role, active) without ending the sessions. Returns how many were touched.
 */
export async function touchUserSessions(tx: Executor, touch: Touch, userId: number): Promise<number> {
  const rows = await tx.select({ tokenHash: sessions.tokenHash }).from(sessions).where(eq(sessions.userId, userId))
  for (const row of rows) touch(sessionTag(row.tokenHash))
  return rows.length
}

/** Deletes a user's expired sessions (housekeeping at sign-in; they no longer authenticate anyway). */
export async function deleteExpiredSessions(tx: Executor, userId: number, now = new Date()): Promise<number> {
  const deleted = await tx
    .delete(sessions)
    .where(and(eq(sessions.userId, userId), lt(sessions.expiresAt, now)))
    .returning({ tokenHash: sessions.tokenHash })
  return deleted.length
}

/** Locks the user's row until the transaction ends: sign-ins of one user then trim sessions one at a time. */
export async function lockUserSessions(tx: Executor, userId: number): Promise<void> {
  await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for('update')
}

/**
 * Ends a user's sessions beyond the newest `keep` (by creation), touching each one's tag so no
 * instance keeps serving its cached lookup. Returns how many ended.
 */
export async function trimSessions(tx: Executor, touch: Touch, userId: number, keep: number): Promise<number> {
  const beyond = tx
    .select({ tokenHash: sessions.tokenHash })
    .from(sessions)
    .where(eq(sessions.userId, userId))
    .orderBy(desc(sessions.createdAt), desc(sessions.tokenHash))
    .offset(keep)
  const deleted = await tx.delete(sessions).where(inArray(sessions.tokenHash, beyond)).returning({ tokenHash: sessions.tokenHash })
  for (const row of deleted) touch(sessionTag(row.tokenHash))
  return deleted.length
}
