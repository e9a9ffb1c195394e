import { defineErrors } from '../../platform/http/error-catalog.ts'

/** The appointments module's problems. */
export const AppointmentErrors = defineErrors({
  APPOINTMENT_NOT_FOUND: { code: 'ECAR_ERR_APPOINTMENT_NOT_FOUND', status: 404, description: "No such appointment, or one out of the caller's reach" },
  SLOT_TAKEN: {
    code: 'ECAR_ERR_SLOT_TAKEN',
    status: 409,
    description: 'No free bay for the time, or the named bay or mechanic is held by another appointment then (enforced by the database)',
  },
  APPOINTMENT_CLOSED: {
    code: 'ECAR_ERR_APPOINTMENT_CLOSED',
    status: 409,
    description: 'The appointment is checked in, cancelled or a no-show: its time, bay and mechanic no longer change',
  },
  CHECK_IN_UNAVAILABLE: {
    code: 'ECAR_ERR_CHECK_IN_UNAVAILABLE',
    status: 503,
    description: 'Check-in needs the work-order flow, which this server does not run',
  },
} as const)
