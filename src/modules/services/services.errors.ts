import { defineErrors } from '../../platform/http/error-catalog.ts'

/** The problems the catalogue routes answer with. */
export const SERVICE_ERRORS = defineErrors({
  notFound: { code: 'ECAR_ERR_SERVICE_NOT_FOUND', status: 404, description: 'No service has this id (or, for a customer, none that is active)' },
  codeTaken: { code: 'ECAR_ERR_SERVICE_CODE_TAKEN', status: 409, description: 'Another service has this code' },
} as const)
