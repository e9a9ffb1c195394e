import { defineErrors } from '../../platform/http/error-catalog.ts'

/** The work-orders module's coded problems (the illegal transition is the platform's `illegalTransition`). */
export const WorkOrderErrors = defineErrors({
  WORK_ORDER_NOT_FOUND: { code: 'ECAR_ERR_WORK_ORDER_NOT_FOUND', status: 404, description: 'No such work order, or not one the caller may see' },
  JOB_NOT_FOUND: { code: 'ECAR_ERR_JOB_NOT_FOUND', status: 404, description: 'No such job on this work order' },
  LINE_NOT_FOUND: { code: 'ECAR_ERR_LINE_NOT_FOUND', status: 404, description: 'No such line on this job' },
  JOB_DECIDED: {
    code: 'ECAR_ERR_JOB_DECIDED',
    status: 409,
    description: 'The job is approved or declined: its lines, prices and title change only while it is proposed',
  },
  JOB_NOT_APPROVED: { code: 'ECAR_ERR_JOB_NOT_APPROVED', status: 409, description: 'Only an approved job can be marked completed or clocked' },
  JOBS_NOT_COMPLETED: {
    code: 'ECAR_ERR_JOBS_NOT_COMPLETED',
    status: 409,
    description: 'The order cannot be completed while an approved job is not completed',
  },
  WORK_ORDER_CLOSED: {
    code: 'ECAR_ERR_WORK_ORDER_CLOSED',
    status: 409,
    description: 'The order is completed, invoiced, declined or void: its jobs and lines no longer change (reopen or send back to draft first)',
  },
  WORK_ORDER_NOT_IN_PROGRESS: { code: 'ECAR_ERR_WORK_ORDER_NOT_IN_PROGRESS', status: 409, description: 'Time is clocked only while the order is in progress' },
  ALREADY_CLOCKED_IN: { code: 'ECAR_ERR_ALREADY_CLOCKED_IN', status: 409, description: 'The mechanic is already clocked in on this job' },
  NOT_CLOCKED_IN: { code: 'ECAR_ERR_NOT_CLOCKED_IN', status: 409, description: 'The mechanic has no open time entry on this job' },
  NOTHING_TO_SEND: {
    code: 'ECAR_ERR_NOTHING_TO_SEND',
    status: 409,
    description: 'No proposed, undecided job with lines to put on an estimate (or the order is no longer open)',
  },
  NO_ESTIMATE: { code: 'ECAR_ERR_NO_ESTIMATE', status: 409, description: 'No estimate has been sent for this order yet' },
  ESTIMATE_CHANGED: {
    code: 'ECAR_ERR_ESTIMATE_CHANGED',
    status: 409,
    description: 'The hash is not the latest estimate\'s, or a sent job or its lines changed after sending: reload the estimate; nothing was recorded',
  },
  JOB_NOT_ON_ESTIMATE: { code: 'ECAR_ERR_JOB_NOT_ON_ESTIMATE', status: 409, description: 'A job in the decisions is not on the latest estimate; nothing was recorded' },
  JOB_ALREADY_DECIDED: { code: 'ECAR_ERR_JOB_ALREADY_DECIDED', status: 409, description: 'A job in the decisions was already decided (a decision never changes); nothing was recorded' },
  ESTIMATE_LINK_NOT_FOUND: { code: 'ECAR_ERR_ESTIMATE_LINK_NOT_FOUND', status: 404, description: 'No estimate link with this token' },
  ESTIMATE_LINK_EXPIRED: { code: 'ECAR_ERR_ESTIMATE_LINK_EXPIRED', status: 410, description: 'The estimate link is older than 7 days: ask the shop for a new one' },
} as const)
