import { definePermissions } from '../../platform/auth/permissions.ts'

/** Who reads a vehicle's history: its owner (the visits made while it was theirs) and every staff member. */
export const HISTORY_PERMISSIONS = definePermissions({
  'history:read': { customer: 'own', mechanic: 'any', advisor: 'any', admin: 'any' },
} as const)
