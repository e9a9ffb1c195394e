import { definePermissions } from '../../platform/auth/permissions.ts'

/** Staff see the mechanics (to assign work); customers do not (403). */
export const MECHANIC_PERMISSIONS = definePermissions({
  'mechanic:list': { mechanic: 'any', advisor: 'any', admin: 'any' },
} as const)
