import { definePermissions } from '../../platform/auth/permissions.ts'

/** Account management under /api/users is the admins' alone. */
export const USER_PERMISSIONS = definePermissions({
  'user:create': { admin: 'any' },
  'user:list': { admin: 'any' },
  'user:read': { admin: 'any' },
  'user:update': { admin: 'any' },
} as const)
