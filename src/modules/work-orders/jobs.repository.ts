import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm'
import type { Executor } from '../../platform/db/database.ts'
import { updatedAtFor } from '../../platform/db/updated-at.ts'
import {
  workOrderInspections,
  workOrderJobs,
  workOrderLines,
  workOrderTimeEntries,
  type InspectionItem,
  type InspectionRow,
  type JobRow,
  type LineRow,
  type TimeEntryRow,
} from './work-orders.table.ts'

/** The writable columns of a job. */
export type JobValues = Omit<typeof workOrderJobs.$inferInsert, 'id' | 'createdAt' | 'updatedAt'>
/** The writable columns of a line. */
export type LineValues = Omit<typeof workOrderLines.$inferInsert, 'id' | 'createdAt' | 'updatedAt'>

/** The jobs of these orders, by order and position. */
export async function jobsOf(db: Executor, workOrderIds: readonly number[]): Promise<JobRow[]> {
  if (workOrderIds.length === 0) return []
  return db.select().from(workOrderJobs).where(inArray(workOrderJobs.workOrderId, [...workOrderIds])).orderBy(asc(workOrderJobs.workOrderId), asc(workOrderJobs.position), asc(workOrderJobs.id))
}

/** The lines of these jobs, by job and position. */
export async function linesOf(db: Executor, jobIds: readonly number[]): Promise<LineRow[]> {
  if (jobIds.length === 0) return []
  return db.select().from(workOrderLines).where(inArray(workOrderLines.jobId, [...jobIds])).orderBy(asc(workOrderLines.jobId), asc(workOrderLines.position), asc(workOrderLines.id))
}

/** The time entries of these jobs, oldest first. */
export async function timeEntriesOf(db: Executor, jobIds: readonly number[]): Promise<TimeEntryRow[]> {
  if (jobIds.length === 0) return []
  return db.select().from(workOrderTimeEntries).where(inArray(workOrderTimeEntries.jobId, [...jobIds])).orderBy(asc(workOrderTimeEntries.id))
}

/** A job of this order, or undefined (a job of another order is not found). */
export async function findJob(db: Executor, workOrderId: number, jobId: number): Promise<JobRow | undefined> {
  const [row] = await db.select().from(workOrderJobs).where(and(eq(workOrderJobs.id, jobId), eq(workOrderJobs.workOrderId, workOrderId)))
  return row
}

/** The next position of a job on the order. */
export async function nextJobPosition(tx: Executor, workOrderId: number): Promise<number> {
  const [row] = await tx.select({ n: sql<number>`coalesce(max(${workOrderJobs.position}), 0)::int + 1` }).from(workOrderJobs).where(eq(workOrderJobs.workOrderId, workOrderId))
  return row?.n ?? 1
}

/** Inserts a job. */
export async function insertJob(tx: Executor, values: JobValues): Promise<JobRow> {
  const [row] = await tx.insert(workOrderJobs).values(values).returning()
  return row!
}

/** Updates a job's columns (and updatedAt when one changes). */
export async function updateJob(tx: Executor, id: number, changes: Partial<JobValues>): Promise<JobRow> {
  const [row] = await tx.update(workOrderJobs).set({ ...changes, updatedAt: updatedAtFor(workOrderJobs, changes, workOrderJobs.updatedAt) }).where(eq(workOrderJobs.id, id)).returning()
  return row!
}

/** Sets the status of many jobs of one order at once (the decisions flow). */
export async function setJobStatuses(tx: Executor, workOrderId: number, ids: readonly number[], status: 'approved' | 'declined'): Promise<void> {
  if (ids.length === 0) return
  await tx.update(workOrderJobs).set({ status, updatedAt: sql`now()` }).where(and(eq(workOrderJobs.workOrderId, workOrderId), inArray(workOrderJobs.id, [...ids])))
}

/** Deletes a job with its lines and time entries (cascade). */
export async function deleteJob(tx: Executor, id: number): Promise<void> {
  await tx.delete(workOrderJobs).where(eq(workOrderJobs.id, id))
}

/** The next position of a line on the job. */
export async function nextLinePosition(tx: Executor, jobId: number): Promise<number> {
  const [row] = await tx.select({ n: sql<number>`coalesce(max(${workOrderLines.position}), 0)::int + 1` }).from(workOrderLines).where(eq(workOrderLines.jobId, jobId))
  return row?.n ?? 1
}

/** Inserts lines. */
export async function insertLines(tx: Executor, values: readonly LineValues[]): Promise<LineRow[]> {
  if (values.length === 0) return []
  return tx.insert(workOrderLines).values([...values]).returning()
}

/** A line of this job, or undefined. */
export async function findLine(db: Executor, jobId: number, lineId: number): Promise<LineRow | undefined> {
  const [row] = await db.select().from(workOrderLines).where(and(eq(workOrderLines.id, lineId), eq(workOrderLines.jobId, jobId)))
  return row
}

/** Updates a line. */
export async function updateLine(tx: Executor, id: number, changes: Partial<LineValues>): Promise<LineRow> {
  const [row] = await tx.update(workOrderLines).set({ ...changes, updatedAt: updatedAtFor(workOrderLines, changes, workOrderLines.updatedAt) }).where(eq(workOrderLines.id, id)).returning()
  return row!
}

/** Deletes a line. */
export async function deleteLine(tx: Executor, id: number): Promise<void> {
  await tx.delete(workOrderLines).where(eq(workOrderLines.id, id))
}

/** The mechanic's open time entry, if any. */
export async function openEntryOf(tx: Executor, mechanicId: number): Promise<TimeEntryRow | undefined> {
  const [row] = await tx.select().from(workOrderTimeEntries).where(and(eq(workOrderTimeEntries.mechanicId, mechanicId), isNull(workOrderTimeEntries.stoppedAt)))
  return row
}

/** Stops the mechanic's open entry (on this job only, when given); the entry stopped, if any. */
export async function stopOpenEntry(tx: Executor, mechanicId: number, jobId?: number): Promise<TimeEntryRow | undefined> {
  const conditions = [eq(workOrderTimeEntries.mechanicId, mechanicId), isNull(workOrderTimeEntries.stoppedAt)]
  if (jobId !== undefined) conditions.push(eq(workOrderTimeEntries.jobId, jobId))
  const [row] = await tx
    .update(workOrderTimeEntries)
    .set({ stoppedAt: sql`greatest(now(), ${workOrderTimeEntries.startedAt})` })
    .where(and(...conditions))
    .returning()
  return row
}

/** Opens a time entry; a second open entry of the mechanic violates `work_order_time_entries_one_open_key`. */
export async function startEntry(tx: Executor, jobId: number, mechanicId: number): Promise<TimeEntryRow> {
  const [row] = await tx.insert(workOrderTimeEntries).values({ jobId, mechanicId }).returning()
  return row!
}

/** The work order a job belongs to. */
export async function orderOfJob(db: Executor, jobId: number): Promise<number | undefined> {
  const [row] = await db.select({ id: workOrderJobs.workOrderId }).from(workOrderJobs).where(eq(workOrderJobs.id, jobId))
  return row?.id
}

/** The order's inspection, or undefined before the first one. */
export async function findInspection(db: Executor, workOrderId: number): Promise<InspectionRow | undefined> {
  const [row] = await db.select().from(workOrderInspections).where(eq(workOrderInspections.workOrderId, workOrderId))
  return row
}

/** Replaces the order's inspection. */
export async function upsertInspection(tx: Executor, workOrderId: number, items: InspectionItem[], updatedBy: number): Promise<InspectionRow> {
  const [row] = await tx
    .insert(workOrderInspections)
    .values({ workOrderId, items, updatedBy })
    .onConflictDoUpdate({ target: workOrderInspections.workOrderId, set: { items, updatedBy, updatedAt: sql`now()` } })
    .returning()
  return row!
}
