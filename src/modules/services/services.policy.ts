import { definePermissions, EVERY_ROLE } from '../../platform/auth/permissions.ts'
import type { Actor } from '../../platform/auth/principal.ts'
import { isStaff } from '../../platform/auth/roles.ts'

/** Anyone signed in reads the catalogue; the front desk and admins maintain it. */
export const SERVICE_PERMISSIONS = definePermissions({
  'service:read': EVERY_ROLE,
  'service:create': { advisor: 'any', admin: 'any' },
  'service:update': { advisor: 'any', admin: 'any' },
} as const)

/** Whether the actor sees inactive services: staff do (to reactivate them), customers only what can be booked. */
export function seesInactiveServices(actor: Pick<Actor, 'role'>): boolean {
  return isStaff(actor.role)
}
