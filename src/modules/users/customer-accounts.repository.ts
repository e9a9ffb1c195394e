import { and, eq } from 'drizzle-orm'
import type { Executor } from '../../platform/db/database.ts'
import { updatedAtFor } from '../../platform/db/updated-at.ts'
import { users, type UserRow } from './users.table.ts'

/** The columns a customer object is made from (never the password hash). */
export const customerColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  phone: users.phone,
  active: users.active,
  notes: users.notes,
  remindersConsent: users.remindersConsent,
  createdAt: users.createdAt,
  updatedAt: users.updatedAt,
}

/** A customer's row: an account of role customer, without its password hash. */
export type CustomerRow = Pick<UserRow, keyof typeof customerColumns>

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

/** The customer with this id, locked for update until the transaction ends; undefined for an unknown id or a staff account. */
export async function lockCustomer(tx: Executor, id: number): Promise<CustomerRow | undefined> {
  const [row] = await tx
    .select(customerColumns)
    .from(users)
    .where(and(eq(users.id, id), eq(users.role, 'customer')))
    .for('update')
  return row
}

/** The fields staff change on a customer. */
export type CustomerChanges = Partial<Pick<UserRow, 'name' | 'phone' | 'email' | 'notes' | 'remindersConsent'>>

/**
 * Applies changes to a customer, bumping updatedAt only when one really changes; a taken email
 * raises the unique violation of `users_email_key`.
 */
export async function updateCustomerRow(tx: Executor, id: number, changes: CustomerChanges): Promise<CustomerRow> {
  const [row] = await tx
    .update(users)
    .set({ ...changes, updatedAt: updatedAtFor(users, changes, users.updatedAt) })
    .where(and(eq(users.id, id), eq(users.role, 'customer')))
    .returning(customerColumns)
  return row!
}
