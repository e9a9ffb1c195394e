import { and, asc, eq, gt, inArray, type SQL } from 'drizzle-orm'
import type { Executor } from '../../platform/db/database.ts'
import { updatedAtFor } from '../../platform/db/updated-at.ts'
import { services, type ServiceRow } from './services.table.ts'

/** The fields a write may set. */
export type ServiceValues = Pick<typeof services.$inferInsert, 'code' | 'name' | 'description' | 'labourHours' | 'parts' | 'intervalMonths' | 'intervalKm' | 'active'>

/** The whole catalogue, by id. */
export async function listServices(db: Executor): Promise<ServiceRow[]> {
  return db.select().from(services).orderBy(asc(services.id))
}

/** The services with these ids. */
export async function findServices(db: Executor, ids: readonly number[]): Promise<ServiceRow[]> {
  if (ids.length === 0) return []
  return db.select().from(services).where(inArray(services.id, [...ids]))
}

/** A page of services in id order after `afterId`, `limit + 1` rows so the caller can tell whether more follow. */
export async function listServicesPage(db: Executor, filter: { afterId: number; limit: number; active?: boolean | undefined }): Promise<ServiceRow[]> {
  const conditions: SQL[] = [gt(services.id, filter.afterId)]
  if (filter.active !== undefined) conditions.push(eq(services.active, filter.active))
  return db.select().from(services).where(and(...conditions)).orderBy(asc(services.id)).limit(filter.limit + 1)
}

/** One service, optionally locked for the rest of the transaction. */
export async function findService(db: Executor, id: number, options: { forUpdate?: boolean } = {}): Promise<ServiceRow | undefined> {
  const query = db.select().from(services).where(eq(services.id, id))
  const [row] = options.forUpdate ? await query.for('update') : await query
  return row
}

/** Inserts a service; a taken code fails with the `services_code_key` unique violation. */
export async function insertService(db: Executor, values: ServiceValues): Promise<ServiceRow> {
  const [row] = await db.insert(services).values(values).returning()
  return row!
}

/** Inserts the services whose codes are not taken yet (the demo garage); the rows inserted. */
export async function insertMissingServices(db: Executor, values: readonly ServiceValues[]): Promise<ServiceRow[]> {
  if (values.length === 0) return []
  return db.insert(services).values([...values]).onConflictDoNothing().returning()
}

/** Applies changes to a service, bumping updatedAt only when one really changes. */
export async function updateService(db: Executor, id: number, changes: Partial<ServiceValues>): Promise<ServiceRow | undefined> {
  const [row] = await db
    .update(services)
    .set({ ...changes, updatedAt: updatedAtFor(services, changes, services.updatedAt) })
    .where(eq(services.id, id))
    .returning()
  return row
}
