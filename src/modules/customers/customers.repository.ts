import { and, asc, eq, gt, inArray, or, sql, type SQL } from 'drizzle-orm'
import type { Executor } from '../../platform/db/database.ts'
import { likeLower, searchWords, type SearchWord } from '../../platform/db/text-search.ts'
import { customerColumns, users, type CustomerRow } from '../users/index.ts'
import { vehicles } from '../vehicles/index.ts'

/*
 * Reads of customer accounts. The rows are the users module's (it alone writes them:
 * src/modules/users/customer-accounts.repository.ts); this module searches and lists them.
 */

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

