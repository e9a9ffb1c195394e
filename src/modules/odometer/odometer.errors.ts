/* The odometer module's problems (a vehicle out of reach is the vehicles module's 404). */
import { defineErrors } from '../../platform/http/error-catalog.ts'

/** The odometer module's catalogue. */
export const OdometerErrors = defineErrors({
  ODOMETER_DECREASE: {
    code: 'ECAR_ERR_ODOMETER_DECREASE',
    status: 409,
    description: 'The reading is below the latest one before it (or above one after it): only staff may record it, as a correction with a reason',
  },
  CORRECTION_STAFF_ONLY: { code: 'ECAR_ERR_CORRECTION_STAFF_ONLY', status: 403, description: 'Only staff can record an odometer correction' },
} as const)
