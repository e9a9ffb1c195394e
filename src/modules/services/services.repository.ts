import { asc, inArray } from 'drizzle-orm'
import type { Executor } from '../../platform/db/database.ts'
import { services, type ServiceRow } from './services.table.ts'

/** The whole catalogue, by id. */
export async function listServices(db: Executor): Promise<ServiceRow[]> {
  return db.select().from(services).orderBy(asc(services.id))
}

/** The services with these ids. */
export async function findServices(db: Executor, ids: readonly number[]): Promise<ServiceRow[]> {
  if (ids.length === 0) return []
  return db.select().from(services).where(inArray(services.id, [...ids]))
}
