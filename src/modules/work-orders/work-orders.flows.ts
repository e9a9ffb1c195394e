// What flows across modules call: the appointment check-in and (for the estimate and decision follow-up)
// the system's moves of jobs and orders. The demo garage's orders are in work-orders.seed.ts.
import type { Actor } from '../../platform/auth/principal.ts'
import type { Touch } from '../../platform/cache/writer.ts'
import type { Executor } from '../../platform/db/database.ts'
import { illegalTransition } from '../../platform/http/errors.ts'
import { changesBetween } from '../audit/index.ts'
import { findServices } from '../services/index.ts'
import { jobsOf, setJobStatuses } from './jobs.repository.ts'
import { workOrderMachine, type WorkOrderStatus } from './work-order.machine.ts'
import { lockWorkOrder, updateWorkOrder } from './work-orders.repository.ts'
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
