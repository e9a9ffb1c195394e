import { definePermissions, EVERY_ROLE } from '../../platform/auth/permissions.ts'

/** Every signed-in user ends their own session and reads and changes their own account; admins clear sign-in limits. */
export const AUTH_PERMISSIONS = definePermissions({
  'session:end': EVERY_ROLE,
  'account:read': EVERY_ROLE,
  'account:update': EVERY_ROLE,
  'loginLimits:clear': { admin: 'any' },
} as const)
