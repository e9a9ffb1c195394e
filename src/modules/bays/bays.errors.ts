import { defineErrors } from '../../platform/http/error-catalog.ts'

/** The problems the bays routes answer with. */
export const BayErrors = defineErrors({
  BAY_NOT_FOUND: { code: 'ECAR_ERR_BAY_NOT_FOUND', status: 404, description: 'No bay has this id' },
  BAY_NAME_TAKEN: { code: 'ECAR_ERR_BAY_NAME_TAKEN', status: 409, description: 'Another bay has this name (compared ignoring case)' },
} as const)
