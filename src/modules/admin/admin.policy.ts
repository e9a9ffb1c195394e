import { definePermissions } from '../../platform/auth/permissions.ts'

/** The cache's figures and clearing are the admins' alone. */
export const ADMIN_PERMISSIONS = definePermissions({
  'cache:read': { admin: 'any' },
  'cache:clear': { admin: 'any' },
} as const)
