import { and, eq, inArray } from 'drizzle-orm'
import type { Actor } from '../../platform/auth/principal.ts'
import { definePermissions } from '../../platform/auth/permissions.ts'
import type { Executor } from '../../platform/db/database.ts'
import { workOrders, type WorkOrderRow } from './work-orders.table.ts'

const FLOOR = { customer: 'own', mechanic: 'assigned', advisor: 'any', admin: 'any' } as const
const STAFF_FLOOR = { mechanic: 'assigned', advisor: 'any', admin: 'any' } as const
const OFFICE = { advisor: 'any', admin: 'any' } as const

/**
 * Who may do what to work orders: customers read their own (`own`: orders of which they are the
 * customer), mechanics those assigned to them (`assigned`), advisors and admins any. Which fields and
 * moves a mechanic may make is the service's (PATCH: notes and label; status: the machine's rows).
 */
export const WORK_ORDER_PERMISSIONS = definePermissions({
  'work_order:read': FLOOR,
  'work_order:create': OFFICE,
  'work_order:update': STAFF_FLOOR,
  'work_order:status': STAFF_FLOOR,
  'work_order:job_create': STAFF_FLOOR,
  'work_order:job_update': STAFF_FLOOR,
  'work_order:job_delete': OFFICE,
  'work_order:line_write': OFFICE,
  'work_order:clock': { mechanic: 'assigned' },
  'work_order:inspection_read': STAFF_FLOOR,
  'work_order:inspection_write': STAFF_FLOOR,
  'work_order:estimate_send': OFFICE,
  // The owner on the portal; the desk recording a call or a visit. Mechanics do not take decisions.
  'work_order:decide': { customer: 'own', advisor: 'any', admin: 'any' },
  'work_order:approvals_read': FLOOR,
} as const)

/** True when the actor's grant reaches this order (a row already loaded). */
export function reachesWorkOrder(actor: Actor, row: Pick<WorkOrderRow, 'customerId' | 'mechanicId'>): boolean {
  if (actor.grant === 'any') return true
  if (actor.grant === 'own') return row.customerId === actor.userId
  return row.mechanicId === actor.userId
}

/** The ids among `ids` of existing work orders the actor's grant reaches, in one query. */
export async function reachableWorkOrderIds(db: Executor, actor: Actor, ids: readonly number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set()
  const within = inArray(workOrders.id, [...ids])
  const condition =
    actor.grant === 'any'
      ? within
      : actor.grant === 'own'
        ? and(within, eq(workOrders.customerId, actor.userId))
        : and(within, eq(workOrders.mechanicId, actor.userId))
  const rows = await db.select({ id: workOrders.id }).from(workOrders).where(condition)
  return new Set(rows.map((row) => row.id))
}
