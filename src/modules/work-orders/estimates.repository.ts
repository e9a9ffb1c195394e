import { and, asc, desc, eq, inArray } from 'drizzle-orm'
import type { Executor } from '../../platform/db/database.ts'
import { workOrderDecisions, workOrderEstimates, type DecisionRow, type EstimateRow } from './estimates.table.ts'

/** The writable columns of an estimate. */
export type EstimateValues = Omit<typeof workOrderEstimates.$inferInsert, 'id'>
/** The writable columns of a decision. */
export type DecisionValues = Omit<typeof workOrderDecisions.$inferInsert, 'id' | 'at'>

/** The order's latest estimate, if one was sent. */
export async function latestEstimate(db: Executor, workOrderId: number): Promise<EstimateRow | undefined> {
  const [row] = await db.select().from(workOrderEstimates).where(eq(workOrderEstimates.workOrderId, workOrderId)).orderBy(desc(workOrderEstimates.version)).limit(1)
  return row
}

/** The latest estimate of each of these orders, by order id, in one query. */
export async function latestEstimatesOf(db: Executor, workOrderIds: readonly number[]): Promise<Map<number, EstimateRow>> {
  if (workOrderIds.length === 0) return new Map()
  const rows = await db
    .selectDistinctOn([workOrderEstimates.workOrderId])
    .from(workOrderEstimates)
    .where(inArray(workOrderEstimates.workOrderId, [...workOrderIds]))
    .orderBy(workOrderEstimates.workOrderId, desc(workOrderEstimates.version))
  return new Map(rows.map((row) => [row.workOrderId, row]))
}

/** Every estimate of an order, oldest first. */
export async function estimatesOf(db: Executor, workOrderId: number): Promise<EstimateRow[]> {
  return db.select().from(workOrderEstimates).where(eq(workOrderEstimates.workOrderId, workOrderId)).orderBy(asc(workOrderEstimates.version))
}

/** The estimate of a share token's hash. */
export async function estimateByTokenHash(db: Executor, hash: string): Promise<EstimateRow | undefined> {
  const [row] = await db.select().from(workOrderEstimates).where(eq(workOrderEstimates.shareTokenHash, hash))
  return row
}

/** Stores a sent estimate. */
export async function insertEstimate(tx: Executor, values: EstimateValues): Promise<EstimateRow> {
  const [row] = await tx.insert(workOrderEstimates).values(values).returning()
  return row!
}

/** The decisions of these orders, in the order they were made. */
export async function decisionsOf(db: Executor, workOrderIds: readonly number[]): Promise<DecisionRow[]> {
  if (workOrderIds.length === 0) return []
  return db.select().from(workOrderDecisions).where(inArray(workOrderDecisions.workOrderId, [...workOrderIds])).orderBy(asc(workOrderDecisions.id))
}

/** Appends decisions; a job decided twice violates work_order_decisions_job_key. */
export async function insertDecisions(tx: Executor, values: readonly DecisionValues[]): Promise<DecisionRow[]> {
  if (values.length === 0) return []
  return tx.insert(workOrderDecisions).values([...values]).returning()
}

/** The decisions of some jobs of one order (those already made). */
export async function decisionsOfJobs(db: Executor, workOrderId: number, jobIds: readonly number[]): Promise<DecisionRow[]> {
  if (jobIds.length === 0) return []
  return db.select().from(workOrderDecisions).where(and(eq(workOrderDecisions.workOrderId, workOrderId), inArray(workOrderDecisions.jobId, [...jobIds])))
}
