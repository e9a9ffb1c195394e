import { definePermissions, EVERY_ROLE } from '../../platform/auth/permissions.ts'

/** Anyone signed in may decode a VIN: it reads no data, only the offline tables. */
export const VIN_PERMISSIONS = definePermissions({
  'vin:decode': EVERY_ROLE,
} as const)
