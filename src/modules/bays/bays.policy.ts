import { definePermissions } from '../../platform/auth/permissions.ts'

/**
 * Staff read the bays (the board, booking); only admins set them up. Bays belong to nobody, so every
 * grant is `any` and no access function narrows it.
 */
export const BAY_PERMISSIONS = definePermissions({
  'bay:read': { mechanic: 'any', advisor: 'any', admin: 'any' },
  'bay:create': { admin: 'any' },
  'bay:update': { admin: 'any' },
} as const)
