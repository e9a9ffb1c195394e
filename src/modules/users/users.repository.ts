import { and, asc, count, eq, gt, ilike, ne, or, sql, type SQL } from 'drizzle-orm'
import type { Role } from '../../platform/auth/roles.ts'
import type { Executor } from '../../platform/db/database.ts'
import { updatedAtFor } from '../../platform/db/updated-at.ts'
import { likePattern } from '../../platform/http/pagination.ts'
import { users, type UserRow } from './users.table.ts'

// Arbitrary constant: every transaction that may lower the number of active admins takes this
// advisory lock first, so two concurrent demotions cannot both see "another admin remains".
const ADMIN_SET_LOCK_ID = 727_010

// Arbitrary constant shared by every start-up data step (demo garage, first admin): two processes
// starting on one empty database must not both create the first accounts.
const BOOTSTRAP_LOCK_ID = 727_011

/** Serialises changes to the set of active admins until the transaction ends. */
export async function lockAdminSet(tx: Executor): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${ADMIN_SET_LOCK_ID})`)
}

/** Serialises the creation of the first accounts (demo garage, first admin) until the transaction ends. */
export async function lockBootstrap(tx: Executor): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${BOOTSTRAP_LOCK_ID})`)
}

/** Inserts an account; the email must already be lower-case. Unique violations propagate. */
export async function insertUser(
  db: Executor,
  values: { email: string; passwordHash: string; name: string; role: Role; phone?: string | null },
): Promise<UserRow> {
  const [row] = await db.insert(users).values(values).returning()
  return row!
}

/** Inserts many accounts in one statement (the demo garage); their ids, emails and roles in order. */
export async function insertUsers(
  db: Executor,
  values: readonly { email: string; passwordHash: string; name: string; role: Role; phone?: string | null }[],
): Promise<{ id: number; email: string; role: Role }[]> {
  return db.insert(users).values([...values]).returning({ id: users.id, email: users.email, role: users.role })
}

/** One account by id, optionally locked for the rest of the transaction. */
export async function findUserById(db: Executor, id: number, options: { forUpdate?: boolean } = {}): Promise<UserRow | undefined> {
  const query = db.select().from(users).where(eq(users.id, id))
  const [row] = options.forUpdate ? await query.for('update') : await query
  return row
}

/** One account by (lower-case) email. */
export async function findUserByEmail(db: Executor, email: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.email, email))
  return row
}

/** A page of accounts in id order after `afterId`; fetches `limit + 1` rows so the caller can tell whether more follow. */
export async function listUsers(
  db: Executor,
  filter: { afterId: number; limit: number; role?: Role; active?: boolean; q?: string },
): Promise<UserRow[]> {
  const conditions: (SQL | undefined)[] = [gt(users.id, filter.afterId)]
  if (filter.role !== undefined) conditions.push(eq(users.role, filter.role))
  if (filter.active !== undefined) conditions.push(eq(users.active, filter.active))
  if (filter.q !== undefined) {
    const pattern = likePattern(filter.q)
    conditions.push(or(ilike(users.name, pattern), ilike(users.email, pattern)))
  }
  return db
    .select()
    .from(users)
    .where(and(...conditions))
    .orderBy(asc(users.id))
    .limit(filter.limit + 1)
}

/** Every account with this role (active or not), by id: the mechanics for the board and assignment. */
export async function listUsersWithRole(db: Executor, role: Role): Promise<Pick<UserRow, 'id' | 'name' | 'active'>[]> {
  return db.select({ id: users.id, name: users.name, active: users.active }).from(users).where(eq(users.role, role)).orderBy(asc(users.id))
}

/** Applies changes to an account, bumping updatedAt when one really changes; undefined when it does not exist. */
export async function updateUserRow(
  db: Executor,
  id: number,
  changes: Partial<Pick<UserRow, 'name' | 'phone' | 'email' | 'role' | 'active' | 'passwordHash'>>,
): Promise<UserRow | undefined> {
  const [row] = await db
    .update(users)
    .set({ ...changes, updatedAt: updatedAtFor(users, changes, users.updatedAt) })
    .where(eq(users.id, id))
    .returning()
  return row
}

/** How many active admins there are, leaving out one account. */
export async function countActiveAdmins(db: Executor, options: { exceptId?: number } = {}): Promise<number> {
  const conditions = [eq(users.role, 'admin'), eq(users.active, true)]
  if (options.exceptId !== undefined) conditions.push(ne(users.id, options.exceptId))
  const [row] = await db.select({ n: count() }).from(users).where(and(...conditions))
  return row?.n ?? 0
}

/** True when the table holds no account at all. */
export async function noUsersExist(db: Executor): Promise<boolean> {
  const rows = await db.select({ id: users.id }).from(users).limit(1)
  return rows.length === 0
}

/** True when at least one admin account exists (active or not). */
export async function adminExists(db: Executor): Promise<boolean> {
  const rows = await db.select({ id: users.id }).from(users).where(eq(users.role, 'admin')).limit(1)
  return rows.length > 0
}
