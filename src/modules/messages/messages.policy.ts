import { definePermissions } from '../../platform/auth/permissions.ts'

/** The outbox is the front desk's: advisors and admins read what was sent. */
export const MESSAGE_PERMISSIONS = definePermissions({
  'message:list': { advisor: 'any', admin: 'any' },
} as const)
