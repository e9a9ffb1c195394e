// What flows across modules call: the appointment check-in, the demo garage, and (for the estimate and
// decision follow-up) the system's moves of jobs and orders.
import type { Actor } from '../../platform/auth/principal.ts'
import type { Touch } from '../../platform/cache/writer.ts'
import type { Executor } from '../../platform/db/database.ts'
import { illegalTransition } from '../../platform/http/errors.ts'
import { changesBetween } from '../audit/index.ts'
import { findServices } from '../services/index.ts'
import { insertJob, insertLines, jobsOf, setJobStatuses, startEntry, stopOpenEntry, upsertInspection } from './jobs.repository.ts'
import { workOrderMachine, WORK_ORDER_STATUSES, type WorkOrderStatus } from './work-order.machine.ts'
import { insertWorkOrder, lockWorkOrder, updateWorkOrder } from './work-orders.repository.ts'
import { auditedFields, openWorkOrder } from './work-orders.service.ts'
import { audit, touchOrder, workOrderNotFound } from './work-orders.support.ts'
import type { WorkOrderRow } from './work-orders.table.ts'

/** What the check-in flow knows of the appointment it checks in. */
export interface CheckInAppointment {
  id: number
  vehicleId: number
  bayId: number | null
  mechanicId: number | null
  serviceIds: readonly number[]
  requestedWork: string | null
}

/**
 * Opens the draft order of a checked-in appointment, in the flow's transaction: the appointment's vehicle,
 * bay and mechanic, its requested work and the names of its services as concerns, the odometer reading as
 * odometerIn; audited, and the order's tags touched.
 */
export async function createWorkOrderFromCheckIn(
  tx: Executor,
  touch: Touch,
  input: { appointment: CheckInAppointment; actor: Pick<Actor, 'userId' | 'role'>; odometer: number },
): Promise<WorkOrderRow> {
  const { appointment, actor } = input
  const services = await findServices(tx, appointment.serviceIds)
  const names = appointment.serviceIds.map((id) => services.find((s) => s.id === id)?.name).filter((name): name is string => name !== undefined)
  const requested = appointment.requestedWork?.trim()
  return openWorkOrder(tx, touch, {
    vehicleId: appointment.vehicleId,
    appointmentId: appointment.id,
    bayId: appointment.bayId,
    mechanicId: appointment.mechanicId,
    odometerIn: input.odometer,
    concerns: [...(requested ? [requested] : []), ...names],
    advisorId: actor.role === 'advisor' || actor.role === 'admin' ? actor.userId : null,
    actorId: actor.userId,
    // The booking checked its bay and mechanic; a bay retired since must not block the car's check-in.
    checkAssignable: false,
  })
}

/**
 * Records decided jobs and moves a draft or awaiting order as the machine's 'system' actor says (any approved
 * → approved, none → declined, once no sent job is left proposed): what the decisions follow-up builds on. Audited.
 */
export async function applyJobDecisions(
  tx: Executor,
  touch: Touch,
  input: {
    workOrderId: number
    actorId: number | null
    decisions: readonly { jobId: number; decision: 'approved' | 'declined' }[]
    /** The jobs ever sent on an estimate: only they hold the order back (all its jobs when absent). */
    sentJobIds?: readonly number[]
  },
): Promise<WorkOrderRow> {
  const current = await lockWorkOrder(tx, input.workOrderId)
  if (!current) throw workOrderNotFound()
  for (const decision of ['approved', 'declined'] as const) {
    const ids = input.decisions.filter((d) => d.decision === decision).map((d) => d.jobId)
    await setJobStatuses(tx, input.workOrderId, ids, decision)
    for (const jobId of ids) await audit(tx, input.actorId, 'job.decided', 'job', jobId, { status: ['proposed', decision] })
  }
  const jobs = await jobsOf(tx, [input.workOrderId])
  let row = current
  const sent = input.sentJobIds ? new Set(input.sentJobIds) : undefined
  const pending = jobs.some((job) => job.status === 'proposed' && (sent === undefined || sent.has(job.id)))
  // Add-on work decided on an approved or running order leaves its status as it is.
  const from = current.status as WorkOrderStatus
  if (!pending && (from === 'draft' || from === 'awaiting_approval')) {
    const to: WorkOrderStatus = jobs.some((job) => job.status === 'approved') ? 'approved' : 'declined'
    if (!workOrderMachine.can(from, to, 'system')) throw illegalTransition(from, to, workOrderMachine.allowedFrom(from, 'system'))
    row = await updateWorkOrder(tx, input.workOrderId, { status: to })
    await audit(tx, input.actorId, 'work_order.status_changed', 'work_order', row.id, changesBetween(auditedFields(current), auditedFields(row)))
  }
  touchOrder(touch, row)
  return row
}

/** What the demo needs to give the seed. */
export interface SeedWorkOrdersInput {
  /** Vehicles to open orders for, with their owners; used round-robin. */
  vehicles: readonly { id: number; ownerId: number; mileage: number }[]
  mechanicIds: readonly number[]
  advisorId: number
  labourRateCents: number
}

const SEED_JOBS = [
  { title: 'Oil and filter change', concern: 'Service due', labourHundredths: 50, part: { description: 'Engine oil 5W-30, 5 l', quantityHundredths: 100, unitPriceCents: 4_200 } },
  { title: 'Front brake pads', concern: 'Squeal when braking', labourHundredths: 150, part: { description: 'Brake pad set, front', quantityHundredths: 100, unitPriceCents: 6_900 } },
]

/**
 * The demo's work orders: one per status (draft first, then each later status of the machine), each with
 * two jobs and their lines, job statuses as the order's status implies, time entries and an inspection on
 * those in progress or done. Writes rows only: the demo runs on a fresh database with nothing cached.
 */
export async function seedWorkOrders(tx: Executor, input: SeedWorkOrdersInput): Promise<WorkOrderRow[]> {
  const rows: WorkOrderRow[] = []
  for (const [index, status] of WORK_ORDER_STATUSES.entries()) {
    const vehicle = input.vehicles[index % input.vehicles.length]!
    const mechanicId = status === 'draft' ? null : (input.mechanicIds[index % Math.max(1, input.mechanicIds.length)] ?? null)
    const done = status === 'completed' || status === 'invoiced'
    const row = await insertWorkOrder(tx, {
      vehicleId: vehicle.id,
      customerId: vehicle.ownerId,
      status,
      advisorId: input.advisorId,
      mechanicId,
      odometerIn: vehicle.mileage,
      odometerOut: done ? vehicle.mileage + 12 : null,
      concerns: SEED_JOBS.map((job) => job.concern),
      label: status === 'in_progress' ? 'waiting for parts' : null,
      voidReason: status === 'void' ? 'Customer took the car elsewhere' : null,
    })
    const jobStatus = ['draft', 'awaiting_approval', 'void'].includes(status) ? 'proposed' : status === 'declined' ? 'declined' : 'approved'
    for (const [position, seed] of SEED_JOBS.entries()) {
      const job = await insertJob(tx, {
        workOrderId: row.id,
        title: seed.title,
        concern: seed.concern,
        status: jobStatus,
        position: position + 1,
        completedAt: done || (status === 'in_progress' && position === 0) ? new Date() : null,
      })
      await insertLines(tx, [
        { jobId: job.id, kind: 'labour', description: seed.title, quantityHundredths: seed.labourHundredths, unitPriceCents: input.labourRateCents, discountCents: 0, position: 1 },
        { jobId: job.id, kind: 'part', description: seed.part.description, quantityHundredths: seed.part.quantityHundredths, unitPriceCents: seed.part.unitPriceCents, discountCents: 0, position: 2 },
      ])
      if (mechanicId !== null && (done || status === 'in_progress') && position === 0) {
        await startEntry(tx, job.id, mechanicId)
        await stopOpenEntry(tx, mechanicId, job.id)
      }
    }
    if (mechanicId !== null && (done || status === 'in_progress')) {
      await upsertInspection(tx, row.id, [{ name: 'Tyre tread', result: 'ok' }, { name: 'Wiper blades', result: 'attention', note: 'Streaking' }], mechanicId)
    }
    rows.push(row)
  }
  return rows
}
