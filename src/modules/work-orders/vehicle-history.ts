// What a vehicle's history (GET /api/vehicles/:id/history, the history module) reads of its work orders:
// here, beside the tables it reads, so the history module composes it with what later modules add.
import { and, desc, eq, inArray } from 'drizzle-orm'
import type { Executor } from '../../platform/db/database.ts'
import { netOf } from '../../kernel/money.ts'
import { decisionsOf } from './estimates.repository.ts'
import { jobsOf, linesOf } from './jobs.repository.ts'
import type { WorkOrderStatus } from './work-order.machine.ts'
import { lineInput } from './work-orders.present.ts'
import { workOrderInspections, workOrders, type InspectionItem } from './work-orders.table.ts'

/** One visit as the history lists it. */
export interface VisitOfVehicle {
  id: number
  number: string
  status: WorkOrderStatus
  openedAt: string
  completedAt: string | null
  odometerIn: number
  jobs: { title: string; status: 'proposed' | 'approved' | 'declined' }[]
  invoiceId: number | null
}

/** A declined job: work the customer was offered and did not take, kept as a recommendation. */
export interface Recommendation {
  workOrderId: number
  jobId: number
  title: string
  netCents: number
  declinedAt: string
}

/** The multipoint inspection of one visit. */
export interface InspectionOfVehicle {
  workOrderId: number
  number: string
  updatedAt: string
  items: InspectionItem[]
}

/** The work-order part of a vehicle's history, each list newest first. */
export interface WorkOrderHistory {
  workOrders: VisitOfVehicle[]
  recommendations: Recommendation[]
  inspections: InspectionOfVehicle[]
}

/**
 * The vehicle's work orders (only those of `customerId` when given: a customer sees the visits
 * made while the car was theirs, never a former owner's), their jobs, the declined jobs with their
 * net (before tax, from src/kernel/money.ts) and the inspections. Five queries whatever the count.
 */
export async function workOrderHistoryOf(db: Executor, vehicleId: number, customerId?: number): Promise<WorkOrderHistory> {
  const condition = customerId === undefined ? eq(workOrders.vehicleId, vehicleId) : and(eq(workOrders.vehicleId, vehicleId), eq(workOrders.customerId, customerId))
  const orders = await db.select().from(workOrders).where(condition).orderBy(desc(workOrders.createdAt), desc(workOrders.id))
  const ids = orders.map((order) => order.id)
  const jobs = await jobsOf(db, ids)
  const declined = jobs.filter((job) => job.status === 'declined')
  const lines = await linesOf(db, declined.map((job) => job.id))
  const decidedAt = new Map((await decisionsOf(db, ids)).map((decision) => [decision.jobId, decision.at]))
  const inspections =
    ids.length === 0 ? [] : await db.select().from(workOrderInspections).where(inArray(workOrderInspections.workOrderId, ids)).orderBy(desc(workOrderInspections.updatedAt))
  const numberOf = new Map(orders.map((order) => [order.id, order.number]))

  const recommendations = declined.map((job) => ({
    workOrderId: job.workOrderId,
    jobId: job.id,
    title: job.title,
    // Before tax: the tax follows the rates of the day it is offered again.
    netCents: netOf(lines.filter((line) => line.jobId === job.id).map(lineInput)),
    // A job declined without a decision row (none today) dates from its last change.
    declinedAt: (decidedAt.get(job.id) ?? job.updatedAt).toISOString(),
  }))
  recommendations.sort((a, b) => b.declinedAt.localeCompare(a.declinedAt) || b.jobId - a.jobId)

  return {
    workOrders: orders.map((order) => ({
      id: order.id,
      number: order.number,
      status: order.status as WorkOrderStatus,
      openedAt: order.createdAt.toISOString(),
      completedAt: order.completedAt?.toISOString() ?? null,
      odometerIn: order.odometerIn,
      jobs: jobs.filter((job) => job.workOrderId === order.id).map((job) => ({ title: job.title, status: job.status as VisitOfVehicle['jobs'][number]['status'] })),
      invoiceId: order.invoiceId,
    })),
    recommendations,
    inspections: inspections.map((row) => ({ workOrderId: row.workOrderId, number: numberOf.get(row.workOrderId) ?? '', updatedAt: row.updatedAt.toISOString(), items: row.items })),
  }
}
