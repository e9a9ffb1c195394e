// The work order's statuses (api-garage.md "Work orders"). Rows by 'system' are the estimate, decision and
// invoice flows; POST /api/work-orders/:id/status asks with the caller's actors and so can never make them.
import { defineMachine } from '../../kernel/state-machine.ts'

/** Every work-order status, draft first. */
export const WORK_ORDER_STATUSES = ['draft', 'awaiting_approval', 'approved', 'in_progress', 'completed', 'invoiced', 'declined', 'void'] as const

/** A work order's status. */
export type WorkOrderStatus = (typeof WORK_ORDER_STATUSES)[number]

/** Who moves a work order: staff through POST …/status ('assignedMechanic': the order's mechanic), or a flow. */
export type WorkOrderActor = 'advisor' | 'admin' | 'assignedMechanic' | 'system'

const OFFICE = ['advisor', 'admin'] as const
const FLOOR = ['advisor', 'admin', 'assignedMechanic'] as const

/** The work-order machine. Requirements the service checks: see each row's `requires`. */
export const workOrderMachine = defineMachine<WorkOrderStatus, WorkOrderActor>({
  states: WORK_ORDER_STATUSES,
  transitions: [
    // The first estimate sent (POST …/estimates).
    { from: 'draft', to: 'awaiting_approval', by: ['system'] },
    // Every sent job decided (POST …/decisions): any approved → approved, none → declined. From draft too:
    // an order sent back to draft after a decline keeps its status when the next estimate goes out.
    { from: ['draft', 'awaiting_approval'], to: 'approved', by: ['system'] },
    { from: ['draft', 'awaiting_approval'], to: 'declined', by: ['system'] },
    { from: 'declined', to: 'draft', by: OFFICE },
    { from: 'approved', to: 'in_progress', by: FLOOR },
    { from: 'in_progress', to: 'completed', by: FLOOR, requires: 'approvedJobsCompletedAndOdometerOut' },
    // Reopen before invoicing: the mechanic may, since the contract lets them set in_progress.
    { from: 'completed', to: 'in_progress', by: FLOOR },
    // Issuing the invoice (POST …/invoice).
    { from: 'completed', to: 'invoiced', by: ['system'] },
    { from: ['draft', 'awaiting_approval', 'approved', 'in_progress', 'completed', 'declined'], to: 'void', by: OFFICE, requires: 'reason' },
  ],
})

/** The statuses of an order still open (not invoiced, not void): a vehicle with one cannot be deleted. */
export const OPEN_WORK_ORDER_STATUSES: readonly WorkOrderStatus[] = WORK_ORDER_STATUSES.filter((s) => s !== 'invoiced' && s !== 'void')
