import type { FastifyInstance } from 'fastify'
import { expect } from 'vitest'
import { services } from '../../../src/modules/services/index.ts'
import { workOrderJobs, workOrders, type WorkOrderStatus } from '../../../src/modules/work-orders/index.ts'
import { applyJobDecisions } from '../../../src/modules/work-orders/work-orders.flows.ts'
import type { Db } from '../../../src/platform/db/database.ts'
import type { TestUser } from './users.ts'
import { caller } from '../http.ts'

let seq = 0

/** A catalogue service (labour hours and parts as given). */
export async function createService(db: Db, fields: { name?: string; labourHours?: number; parts?: { partId: number; quantity: number }[] } = {}) {
  const [row] = await db
    .insert(services)
    .values({ code: `T-${Date.now().toString(36)}-${seq++}`, name: fields.name ?? 'Brake service', labourHours: fields.labourHours ?? 1.5, parts: fields.parts ?? [] })
    .returning()
  return row!
}

/** Opens a work order through the API as `staff`; fields override the body. */
export async function openOrder(app: FastifyInstance, staff: TestUser, vehicleId: number, fields: Record<string, unknown> = {}) {
  const res = await caller(app)(staff, 'POST', '/api/work-orders', { vehicleId, odometerIn: 42_000, ...fields })
  expect(res.statusCode, res.body).toBe(201)
  return res.json() as { id: number; number: string; status: string; customerId: number; mechanicId: number | null }
}

/** Adds a job with one labour line through the API; returns the job's id. */
export async function addPricedJob(app: FastifyInstance, staff: TestUser, orderId: number, line: Record<string, unknown> = {}) {
  const call = caller(app)
  const job = await call(staff, 'POST', `/api/work-orders/${orderId}/jobs`, { title: 'Front brakes' })
  expect(job.statusCode, job.body).toBe(201)
  const jobId = (job.json() as { id: number }).id
  const res = await call(staff, 'POST', `/api/work-orders/${orderId}/jobs/${jobId}/lines`, { kind: 'labour', description: 'Labour', quantity: 1, unitPriceCents: 10_000, ...line })
  expect(res.statusCode, res.body).toBe(201)
  return jobId
}

/** The customer's decisions as the decisions flow will record them (system moves), through the writer. */
export async function decide(app: FastifyInstance, orderId: number, decisions: { jobId: number; decision: 'approved' | 'declined' }[]) {
  return app.writer.transaction((tx, touch) => applyJobDecisions(tx, touch, { workOrderId: orderId, actorId: null, decisions }))
}

/** A work order inserted straight into the database in any status (with a reason when void), with one job in `jobStatus`. */
export async function insertOrder(
  db: Db,
  fields: { vehicleId: number; customerId: number; mechanicId?: number | null; status?: WorkOrderStatus; jobStatus?: 'proposed' | 'approved' | 'declined' },
) {
  const status = fields.status ?? 'draft'
  const [order] = await db
    .insert(workOrders)
    .values({ vehicleId: fields.vehicleId, customerId: fields.customerId, mechanicId: fields.mechanicId ?? null, status, odometerIn: 1000, voidReason: status === 'void' ? 'test' : null, completedAt: ['completed', 'invoiced'].includes(status) ? new Date() : null })
    .returning()
  const [job] = await db.insert(workOrderJobs).values({ workOrderId: order!.id, title: 'Job', status: fields.jobStatus ?? 'proposed', position: 1 }).returning()
  return { order: order!, jobId: job!.id }
}
