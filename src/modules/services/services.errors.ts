import { defineErrors } from '../../platform/http/error-catalog.ts'

/** The problems the catalogue routes answer with. */
export const ServiceErrors = defineErrors({
  SERVICE_NOT_FOUND: { code: 'ECAR_ERR_SERVICE_NOT_FOUND', status: 404, description: 'No service has this id (or, for a customer, none that is active)' },
  SERVICE_CODE_TAKEN: { code: 'ECAR_ERR_SERVICE_CODE_TAKEN', status: 409, description: 'Another service has this code' },
} as const)
