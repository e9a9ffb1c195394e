import { and, asc, eq, gt, inArray, type SQL } from 'drizzle-orm'
import type { Executor } from '../../platform/db/database.ts'
import { updatedAtFor } from '../../platform/db/updated-at.ts'
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

/** A page of bays in id order after `afterId`, `limit + 1` rows so the caller can tell whether more follow. */
export async function listBaysPage(db: Executor, filter: { afterId: number; limit: number; active?: boolean | undefined }): Promise<BayRow[]> {
  const conditions: SQL[] = [gt(bays.id, filter.afterId)]
  if (filter.active !== undefined) conditions.push(eq(bays.active, filter.active))
  return db.select().from(bays).where(and(...conditions)).orderBy(asc(bays.id)).limit(filter.limit + 1)
}

/** One bay, optionally locked for the rest of the transaction. */
export async function findBay(db: Executor, id: number, options: { forUpdate?: boolean } = {}): Promise<BayRow | undefined> {
  const query = db.select().from(bays).where(eq(bays.id, id))
  const [row] = options.forUpdate ? await query.for('update') : await query
  return row
}

/** Inserts a bay; a taken name fails with the `bays_name_key` unique violation. */
export async function insertBay(db: Executor, values: { name: string; active?: boolean }): Promise<BayRow> {
  const [row] = await db.insert(bays).values(values).returning()
  return row!
}

/** Inserts bays whose names are not taken yet (the demo garage); the rows inserted. */
export async function insertMissingBays(db: Executor, values: readonly { name: string; active?: boolean }[]): Promise<BayRow[]> {
  if (values.length === 0) return []
  return db.insert(bays).values([...values]).onConflictDoNothing().returning()
}

/** Applies changes to a bay, bumping updatedAt only when one really changes. */
export async function updateBay(db: Executor, id: number, changes: Partial<Pick<BayRow, 'name' | 'active'>>): Promise<BayRow | undefined> {
  const [row] = await db
    .update(bays)
    .set({ ...changes, updatedAt: updatedAtFor(bays, changes, bays.updatedAt) })
    .where(eq(bays.id, id))
    .returning()
  return row
}
