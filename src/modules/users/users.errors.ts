/* The users module's problems: accounts of every role, customers' included (their rows are this module's). */
import { defineErrors } from '../../platform/http/error-catalog.ts'

/** The users module's catalogue; auth, customers and vehicles raise these through ../users/index.ts. */
export const UserErrors = defineErrors({
  EMAIL_TAKEN: { code: 'ECAR_ERR_EMAIL_TAKEN', status: 409, description: 'Another account has this email' },
  USER_NOT_FOUND: { code: 'ECAR_ERR_USER_NOT_FOUND', status: 404, description: 'No such account' },
  CUSTOMER_NOT_FOUND: { code: 'ECAR_ERR_CUSTOMER_NOT_FOUND', status: 404, description: 'No such customer, or not visible to the caller' },
  LAST_ADMIN: { code: 'ECAR_ERR_LAST_ADMIN', status: 409, description: 'The change would leave no active admin' },
  // Raised by the vehicles module's role-change check (account events), but a refusal of PATCH
  // /api/users/:id, which documents it: users cannot import vehicles, vehicles imports users.
  OWNS_VEHICLES: { code: 'ECAR_ERR_OWNS_VEHICLES', status: 409, description: 'The customer owns vehicles and would become staff' },
} as const)
