import { defineErrors } from '../../platform/http/error-catalog.ts'

/** The problems the bays routes answer with. */
export const BAY_ERRORS = defineErrors({
  notFound: { code: 'ECAR_ERR_BAY_NOT_FOUND', status: 404, description: 'No bay has this id' },
  nameTaken: { code: 'ECAR_ERR_BAY_NAME_TAKEN', status: 409, description: 'Another bay has this name (compared ignoring case)' },
} as const)
