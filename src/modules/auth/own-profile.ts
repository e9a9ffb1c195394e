import type { Role } from '../../platform/auth/roles.ts'
import type { Touch } from '../../platform/cache/writer.ts'
import type { Executor } from '../../platform/db/database.ts'
import { touchCustomerOwnerViews } from '../customers/customers.cache.ts'
import { retireAccountTokens } from './account-tokens.repository.ts'

/**
 * What PATCH /api/auth/me makes stale beyond the session lookups: a customer's name or phone shows
 * as the owner in staff vehicle answers, and a new email retires links mailed to the old one.
 */
export async function afterOwnProfileChange(
  tx: Executor,
  touch: Touch,
  change: { userId: number; role: Role; nameOrPhone: boolean; email: boolean },
): Promise<void> {
  if (change.role === 'customer' && change.nameOrPhone) touchCustomerOwnerViews(touch)
  if (change.email) await retireAccountTokens(tx, change.userId)
}
