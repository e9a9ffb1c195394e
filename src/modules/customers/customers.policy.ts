import type { Actor } from '../../platform/auth/principal.ts'
import { definePermissions } from '../../platform/auth/permissions.ts'

/** Who may do what to customer accounts: staff read them, the front desk opens and changes them, a customer reads themself. */
export const CUSTOMER_PERMISSIONS = definePermissions({
  'customer:list': { mechanic: 'any', advisor: 'any', admin: 'any' },
  'customer:read': { customer: 'own', mechanic: 'any', advisor: 'any', admin: 'any' },
  'customer:create': { advisor: 'any', admin: 'any' },
  'customer:update': { advisor: 'any', admin: 'any' },
  'customer:invite': { advisor: 'any', admin: 'any' },
} as const)

/** The ids among `ids` the actor's grant reaches (a customer only themself); which exist is the caller's question. */
export function reachableCustomerIds(actor: Actor, ids: readonly number[]): Set<number> {
  if (actor.grant === 'any') return new Set(ids)
  return new Set(actor.grant === 'own' ? ids.filter((id) => id === actor.userId) : [])
}
