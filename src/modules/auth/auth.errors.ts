/* The auth module's problems: sign-in, the own account's password, one-time links and invitations. */
import { defineErrors } from '../../platform/http/error-catalog.ts'

/** The auth module's catalogue; customers lists the invitation refusals through ../auth/index.ts. */
export const AuthErrors = defineErrors({
  BAD_CREDENTIALS: { code: 'ECAR_ERR_BAD_CREDENTIALS', status: 401, description: 'Unknown email, wrong password or inactive account' },
  BAD_CURRENT_PASSWORD: { code: 'ECAR_ERR_BAD_CURRENT_PASSWORD', status: 400, description: 'The current password is wrong' },
  LINK_GONE: { code: 'ECAR_ERR_LINK_GONE', status: 410, description: 'The link was used, has expired or never existed' },
  HAS_PASSWORD: { code: 'ECAR_ERR_HAS_PASSWORD', status: 409, description: 'The account already has a password' },
  CUSTOMER_INACTIVE: { code: 'ECAR_ERR_CUSTOMER_INACTIVE', status: 409, description: 'The customer account is deactivated' },
} as const)
