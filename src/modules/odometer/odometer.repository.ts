import { and, asc, desc, eq, gt, lt, lte, or, type SQL } from 'drizzle-orm'
import type { Executor } from '../../platform/db/database.ts'
import { odometerReadings, type ReadingRow } from './odometer.table.ts'

/** The writable columns of a reading. */
export type ReadingValues = Omit<typeof odometerReadings.$inferInsert, 'id' | 'createdAt'>

/** Where a newest-first page starts: after this (recordedAt, id). */
export interface ReadingCursor {
  recordedAt: Date
  id: number
}

/** A vehicle's readings, newest first (by recordedAt, then id), older than the cursor when given. */
export async function listReadings(db: Executor, vehicleId: number, filter: { before?: ReadingCursor | undefined; limit: number }): Promise<ReadingRow[]> {
  const conditions: (SQL | undefined)[] = [eq(odometerReadings.vehicleId, vehicleId)]
  if (filter.before) {
    const { recordedAt, id } = filter.before
    conditions.push(or(lt(odometerReadings.recordedAt, recordedAt), and(eq(odometerReadings.recordedAt, recordedAt), lt(odometerReadings.id, id))))
  }
  return db
    .select()
    .from(odometerReadings)
    .where(and(...conditions))
    .orderBy(desc(odometerReadings.recordedAt), desc(odometerReadings.id))
    .limit(filter.limit)
}

/** The latest reading at or before `at` (the newest of them all without `at`), or undefined. */
export async function latestReading(db: Executor, vehicleId: number, at?: Date): Promise<ReadingRow | undefined> {
  const [row] = await db
    .select()
    .from(odometerReadings)
    .where(and(eq(odometerReadings.vehicleId, vehicleId), at === undefined ? undefined : lte(odometerReadings.recordedAt, at)))
    .orderBy(desc(odometerReadings.recordedAt), desc(odometerReadings.id))
    .limit(1)
  return row
}

/** The earliest reading after `at`, or undefined. */
export async function nextReading(db: Executor, vehicleId: number, at: Date): Promise<ReadingRow | undefined> {
  const [row] = await db
    .select()
    .from(odometerReadings)
    .where(and(eq(odometerReadings.vehicleId, vehicleId), gt(odometerReadings.recordedAt, at)))
    .orderBy(asc(odometerReadings.recordedAt), asc(odometerReadings.id))
    .limit(1)
  return row
}

/** Inserts a reading. */
export async function insertReading(tx: Executor, values: ReadingValues): Promise<ReadingRow> {
  const [row] = await tx.insert(odometerReadings).values(values).returning()
  return row!
}

/** Inserts many readings in one statement (the demo garage). */
export async function insertReadings(tx: Executor, rows: readonly ReadingValues[]): Promise<void> {
  if (rows.length > 0) await tx.insert(odometerReadings).values([...rows])
}
