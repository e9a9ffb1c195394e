import { and, eq } from 'drizzle-orm'
import type { Executor } from '../../platform/db/database.ts'
import { updatedAtFor } from '../../platform/db/updated-at.ts'
import { users, type UserRow } from './users.table.ts'

/** Inserts a customer account made by self-registration; a taken email fails with the `users_email_key` unique violation. */
export async function insertRegisteredCustomer(
  tx: Executor,
  fields: { email: string; passwordHash: string; name: string; phone: string | null },
): Promise<UserRow> {
  const [row] = await tx
    .insert(users)
    .values({ ...fields, role: 'customer' })
    .returning()
  return row!
}

/** Updates a user's own fields, and `updatedAt` when one really changes; undefined when the user is gone. */
export async function updateUser(
  tx: Executor,
  id: number,
  fields: { name?: string; phone?: string | null; email?: string; passwordHash?: string },
): Promise<UserRow | undefined> {
  const [row] = await tx
    .update(users)
    .set({ ...fields, updatedAt: updatedAtFor(users, fields, users.updatedAt) })
    .where(eq(users.id, id))
    .returning()
  return row
}

/** Replaces a password hash by a stronger one of the same password, only if it is still `stored`. */
export async function replacePasswordHash(db: Executor, id: number, stored: string, upgraded: string): Promise<boolean> {
  // updatedAt stays: the account did not change, only how its password is kept.
  const rows = await db
    .update(users)
    .set({ passwordHash: upgraded })
    .where(and(eq(users.id, id), eq(users.passwordHash, stored)))
    .returning({ id: users.id })
  return rows.length > 0
}
