import { asc, inArray } from 'drizzle-orm'
import type { Executor } from '../../platform/db/database.ts'
import { bays, type BayRow } from './bays.table.ts'

/** Every bay, by id (a shop has a handful). */
export async function listBays(db: Executor): Promise<BayRow[]> {
  return db.select().from(bays).orderBy(asc(bays.id))
}

/** The bays with these ids. */
export async function findBays(db: Executor, ids: readonly number[]): Promise<BayRow[]> {
  if (ids.length === 0) return []
  return db.select().from(bays).where(inArray(bays.id, [...ids]))
}

/** Inserts a bay (tests, fixtures, the demo; the admin routes arrive with bay management). */
export async function insertBay(tx: Executor, values: { name: string; active?: boolean }): Promise<BayRow> {
  const [row] = await tx.insert(bays).values(values).returning()
  return row!
}
