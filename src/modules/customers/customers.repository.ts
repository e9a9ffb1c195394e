import { and, asc, eq, gt, ilike, or, type SQL } from 'drizzle-orm'
import type { Executor } from '../../platform/db/database.ts'
import { likePattern } from '../../platform/http/pagination.ts'
import { users, type UserRow } from '../users/users.table.ts'

/** The columns a customer object is made from (never the password hash). */
const customerColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  phone: users.phone,
  active: users.active,
  createdAt: users.createdAt,
  updatedAt: users.updatedAt,
}

/** A customer's row as this module reads it. */
export type CustomerRow = Pick<UserRow, keyof typeof customerColumns>

/** What a page of customers is filtered by. */
export interface CustomerFilter {
  /** Literal, case-insensitive substring of name, email or phone. */
  q?: string | undefined
  afterId: number
  /** Rows to fetch (one more than the page shows). */
  limit: number
}

/** Customers matching the filter, by ascending id. */
export async function listCustomers(db: Executor, filter: CustomerFilter): Promise<CustomerRow[]> {
  const conditions: SQL[] = [eq(users.role, 'customer'), gt(users.id, filter.afterId)]
  if (filter.q) {
    const pattern = likePattern(filter.q)
    conditions.push(or(ilike(users.name, pattern), ilike(users.email, pattern), ilike(users.phone, pattern))!)
  }
  return db
    .select(customerColumns)
    .from(users)
    .where(and(...conditions))
    .orderBy(asc(users.id))
    .limit(filter.limit)
}

/** The customer with this id (active or not), or undefined for an unknown id or a staff account. */
export async function findCustomer(db: Executor, id: number): Promise<CustomerRow | undefined> {
  const [row] = await db
    .select(customerColumns)
    .from(users)
    .where(and(eq(users.id, id), eq(users.role, 'customer')))
    .limit(1)
  return row
}

/**
 * True when `id` is an active customer. The row is share-locked until the transaction ends, so
 * the account cannot be deactivated or change role while a vehicle is being given to it.
 */
export async function isActiveCustomer(tx: Executor, id: number, lock: 'share' | 'update' = 'share'): Promise<boolean> {
  const [row] = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, id), eq(users.role, 'customer'), eq(users.active, true)))
    .for(lock)
  return row !== undefined
}

/** Inserts a customer account; a taken email raises the unique violation of `users_email_key`. */
export async function insertCustomer(
  tx: Executor,
  values: { email: string; name: string; phone: string | null; passwordHash: string },
): Promise<CustomerRow> {
  const [row] = await tx
    .insert(users)
    .values({ ...values, role: 'customer' })
    .returning(customerColumns)
  return row!
}
