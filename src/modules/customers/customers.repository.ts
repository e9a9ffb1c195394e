import { and, asc, eq, gt, inArray, or, sql, type SQL } from 'drizzle-orm'
import type { Executor } from '../../platform/db/database.ts'
import { updatedAtFor } from '../../platform/db/updated-at.ts'
import { likeLower, searchWords, type SearchWord } from '../../platform/db/text-search.ts'
import { users, type UserRow } from '../users/users.table.ts'
import { vehicles } from '../vehicles/vehicles.table.ts'

/** The columns a customer object is made from (never the password hash). */
const customerColumns = {
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

/** A customer's row as this module reads it. */
export type CustomerRow = Pick<UserRow, keyof typeof customerColumns>

/** What a page of customers is filtered by. */
export interface CustomerFilter {
  /** The contract's `?q=`: every word in name, email, phone or one of the customer's plates and VINs. */
  q?: string | undefined
  afterId: number
  /** Rows to fetch (one more than the page shows). */
  limit: number
}

/**
 * The ids of accounts one search word finds: in their own name, email or phone, or in the plate or
 * VIN of one of their vehicles. Written as a union of index scans (each arm has its trigram index)
 * rather than an OR with EXISTS, which PostgreSQL can only evaluate row by row over every customer.
 */
function idsMatching(db: Executor, word: SearchWord) {
  const own = db
    .select({ id: users.id })
    .from(users)
    .where(word.compact === null ? likeLower(users.searchText, word.literal) : or(likeLower(users.searchText, word.literal), likeLower(users.searchPhone, word.compact)))
  // A compact match includes the literal one for identifiers; a punctuation-only word is compared
  // with the plate as written (VINs hold letters and digits only). No index helps such a word.
  const theirVehicles = db
    .select({ id: vehicles.ownerId })
    .from(vehicles)
    .where(
      word.compact === null
        ? sql`lower(normalize(${vehicles.licensePlate}, NFKC)) like lower(${word.literal})`
        : likeLower(vehicles.searchIds, word.compact),
    )
  return own.unionAll(theirVehicles)
}

/** The query of a page of customers matching the filter, by ascending id (exported for EXPLAIN in tests). */
export function customersQuery(db: Executor, filter: CustomerFilter) {
  const conditions: SQL[] = [eq(users.role, 'customer'), gt(users.id, filter.afterId)]
  for (const word of searchWords(filter.q)) conditions.push(inArray(users.id, idsMatching(db, word)))
  return db
    .select(customerColumns)
    .from(users)
    .where(and(...conditions))
    .orderBy(asc(users.id))
    .limit(filter.limit)
}

/** Customers matching the filter, by ascending id. */
export async function listCustomers(db: Executor, filter: CustomerFilter): Promise<CustomerRow[]> {
  return customersQuery(db, filter)
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
