// Rows become API objects here, with the money figures of src/kernel/money.ts.
import type { Executor } from '../../platform/db/database.ts'
import { lineAmounts, totals, type LineInput, type TaxRates, type Totals } from '../../kernel/money.ts'
import { decisionsOf, latestEstimatesOf } from './estimates.repository.ts'
import type { DecisionRow, EstimateRow } from './estimates.table.ts'
import { jobsOf, linesOf, timeEntriesOf } from './jobs.repository.ts'
import type { Job, JobDecision, Line, TimeEntry, WorkOrder, WorkOrderSummary } from './work-orders.schemas.ts'
import type { JobRow, LineRow, TimeEntryRow, WorkOrderRow } from './work-orders.table.ts'
import type { WorkOrderStatus } from './work-order.machine.ts'

/** Hundredths back to the number clients read and write (150 → 1.5); exact for every 2-decimal quantity. */
export const fromHundredths = (hundredths: number): number => hundredths / 100

/** What a stored line contributes to the money. */
export function lineInput(row: LineRow): LineInput {
  return { kind: row.kind as LineInput['kind'], quantity: fromHundredths(row.quantityHundredths), unitPriceCents: row.unitPriceCents, discountCents: row.discountCents }
}

/** A line as the API shows it. */
export function toLine(row: LineRow): Line {
  const { amountCents, netCents } = lineAmounts(lineInput(row))
  return {
    id: row.id,
    kind: row.kind as Line['kind'],
    description: row.description,
    quantity: fromHundredths(row.quantityHundredths),
    unitPriceCents: row.unitPriceCents,
    discountCents: row.discountCents,
    amountCents,
    netCents,
    partId: row.partId,
    reservedQuantity: fromHundredths(row.reservedHundredths),
    backorderedQuantity: fromHundredths(row.backorderedHundredths),
  }
}

/** A time entry as the API shows it. */
export function toTimeEntry(row: TimeEntryRow): TimeEntry {
  return { id: row.id, jobId: row.jobId, mechanicId: row.mechanicId, startedAt: row.startedAt.toISOString(), stoppedAt: row.stoppedAt?.toISOString() ?? null }
}

function toDecision(row: DecisionRow): JobDecision {
  return {
    decision: row.decision as JobDecision['decision'],
    byUserId: row.byUserId,
    byName: row.byName,
    method: row.method as JobDecision['method'],
    at: row.at.toISOString(),
    estimateVersion: row.estimateVersion,
    estimateHash: row.estimateHash,
  }
}

function toJob(row: JobRow, lines: LineRow[], entries: TimeEntryRow[], decision: DecisionRow | undefined): Job {
  return {
    id: row.id,
    title: row.title,
    serviceId: row.serviceId,
    concern: row.concern,
    cause: row.cause,
    correction: row.correction,
    status: row.status as Job['status'],
    completedAt: row.completedAt?.toISOString() ?? null,
    decision: decision ? toDecision(decision) : null,
    lines: lines.map(toLine),
    timeEntries: entries.map(toTimeEntry),
  }
}

function toSummary(row: WorkOrderRow, orderTotals: Totals, estimate: EstimateRow | undefined): WorkOrderSummary {
  return {
    id: row.id,
    number: row.number,
    status: row.status as WorkOrderStatus,
    label: row.label,
    customerId: row.customerId,
    vehicleId: row.vehicleId,
    appointmentId: row.appointmentId,
    advisorId: row.advisorId,
    mechanicId: row.mechanicId,
    bayId: row.bayId,
    odometerIn: row.odometerIn,
    odometerOut: row.odometerOut,
    promisedAt: row.promisedAt?.toISOString() ?? null,
    completedAt: row.completedAt?.toISOString() ?? null,
    concerns: row.concerns,
    notes: row.notes,
    estimate: estimate ? { version: estimate.version, hash: estimate.hash, sentAt: estimate.sentAt.toISOString() } : null,
    totals: orderTotals,
    invoiceId: row.invoiceId,
    voidReason: row.voidReason,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}

function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const map = new Map<K, T[]>()
  for (const item of items) {
    const list = map.get(key(item))
    if (list) list.push(item)
    else map.set(key(item), [item])
  }
  return map
}

/** The totals of an order's jobs that are not declined. */
export function orderTotals(jobs: readonly JobRow[], linesByJob: ReadonlyMap<number, LineRow[]>, taxRates: TaxRates): Totals {
  const counted = jobs.filter((job) => job.status !== 'declined').flatMap((job) => linesByJob.get(job.id) ?? [])
  return totals(counted.map(lineInput), taxRates)
}

/** Whole work orders (jobs, lines, time entries, decisions, latest estimate, totals) in six queries for any number of orders. */
export async function presentWorkOrders(db: Executor, rows: readonly WorkOrderRow[], taxRates: TaxRates): Promise<WorkOrder[]> {
  const orderIds = rows.map((row) => row.id)
  const jobs = await jobsOf(db, orderIds)
  const jobIds = jobs.map((job) => job.id)
  // Sequential: on PGlite (and in a transaction) the executor is one connection.
  const lines = await linesOf(db, jobIds)
  const entries = await timeEntriesOf(db, jobIds)
  const estimates = await latestEstimatesOf(db, orderIds)
  const decisions = new Map((await decisionsOf(db, orderIds)).map((d) => [d.jobId, d]))
  const linesByJob = groupBy(lines, (line) => line.jobId)
  const entriesByJob = groupBy(entries, (entry) => entry.jobId)
  const jobsByOrder = groupBy(jobs, (job) => job.workOrderId)
  return rows.map((row) => {
    const own = jobsByOrder.get(row.id) ?? []
    return {
      ...toSummary(row, orderTotals(own, linesByJob, taxRates), estimates.get(row.id)),
      jobs: own.map((job) => toJob(job, linesByJob.get(job.id) ?? [], entriesByJob.get(job.id) ?? [], decisions.get(job.id))),
    }
  })
}

/** List items: the orders without their jobs, with totals. */
export async function presentSummaries(db: Executor, rows: readonly WorkOrderRow[], taxRates: TaxRates): Promise<WorkOrderSummary[]> {
  const jobs = await jobsOf(db, rows.map((row) => row.id))
  const lines = await linesOf(db, jobs.filter((job) => job.status !== 'declined').map((job) => job.id))
  const estimates = await latestEstimatesOf(db, rows.map((row) => row.id))
  const linesByJob = groupBy(lines, (line) => line.jobId)
  const jobsByOrder = groupBy(jobs, (job) => job.workOrderId)
  return rows.map((row) => toSummary(row, orderTotals(jobsByOrder.get(row.id) ?? [], linesByJob, taxRates), estimates.get(row.id)))
}
