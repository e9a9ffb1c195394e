// What the work-order services share: reach checks, tags of a write, audit rows, the machine's actor.
import type { Actor } from '../../platform/auth/principal.ts'
import type { Touch } from '../../platform/cache/writer.ts'
import type { Executor } from '../../platform/db/database.ts'
import { problem } from '../../platform/http/errors.ts'
import { recordAudit } from '../audit/index.ts'
import type { WorkOrderActor, WorkOrderStatus } from './work-order.machine.ts'
import { allWorkOrdersTag, customerWorkOrdersTag, mechanicWorkOrdersTag, vehicleWorkOrdersTag, workOrderTag } from './work-orders.cache.ts'
import { WorkOrderErrors } from './work-orders.errors.ts'
import { reachesWorkOrder } from './work-orders.policy.ts'
import { findWorkOrder, lockWorkOrder } from './work-orders.repository.ts'
import type { WorkOrderRow } from './work-orders.table.ts'

/** 404 for an order that does not exist or is out of the caller's reach. */
export const workOrderNotFound = () => problem(WorkOrderErrors.WORK_ORDER_NOT_FOUND, 'Work order not found.')

/** The order if the actor reaches it (locked FOR UPDATE when `lock`), 404 otherwise. */
export async function reachableOrder(db: Executor, actor: Actor, id: number, lock = false): Promise<WorkOrderRow> {
  const row = lock ? await lockWorkOrder(db, id) : await findWorkOrder(db, id)
  if (!row || !reachesWorkOrder(actor, row)) throw workOrderNotFound()
  return row
}

/** Touches everything that shows the order: its detail, staff lists, its customer's and its mechanics' lists, its vehicle's history. */
export function touchOrder(touch: Touch, row: Pick<WorkOrderRow, 'id' | 'customerId' | 'mechanicId' | 'vehicleId'>, ...formerMechanicIds: (number | null)[]): void {
  touch(workOrderTag(row.id), allWorkOrdersTag(), customerWorkOrdersTag(row.customerId), vehicleWorkOrdersTag(row.vehicleId))
  for (const mechanicId of new Set([row.mechanicId, ...formerMechanicIds])) if (mechanicId !== null) touch(mechanicWorkOrdersTag(mechanicId))
}

/** Who the caller is to the status machine (route permissions keep customers out; reach keeps other mechanics out). */
export function machineActor(actor: Actor): WorkOrderActor {
  if (actor.role === 'advisor' || actor.role === 'admin') return actor.role
  if (actor.role === 'mechanic') return 'assignedMechanic'
  throw new Error('a customer cannot move a work order')
}

/** Appends the audit row of a write on an order, a job, a line or a time entry. */
export async function audit(tx: Executor, actorId: number | null, action: string, entity: string, entityId: number, changes: Record<string, [unknown, unknown]>): Promise<void> {
  await recordAudit(tx, { actorId, action, entity, entityId, changes })
}

/** Statuses in which an order's jobs and lines still change. */
export const WORKING_STATUSES: readonly WorkOrderStatus[] = ['draft', 'awaiting_approval', 'approved', 'in_progress']

/** 409 unless the order's jobs may still change. */
export function assertWorking(row: WorkOrderRow): void {
  if (!WORKING_STATUSES.includes(row.status as WorkOrderStatus)) {
    throw problem(WorkOrderErrors.WORK_ORDER_CLOSED, `The work order is ${row.status}: its jobs and lines no longer change.`)
  }
}
