import type { Touch } from '../../platform/cache/writer.ts'
import type { Executor } from '../../platform/db/database.ts'
import { revokeSessions, touchUserSessions } from '../auth/sessions.repository.ts'

/*
 * The users module caches nothing of its own. What its writes invalidate:
 *
 * | write                                    | tags touched                                             |
 * |------------------------------------------|----------------------------------------------------------|
 * | PATCH role / active / password           | `session:<hash>` of each of the user's sessions, ended   |
 * | PATCH role / active                      | also `customer:<id>:vehicles` (the data cache's owner)   |
 * | PATCH name / phone only                  | `session:<hash>` of each of the user's sessions, kept    |
 * | PATCH name / phone                       | also `customers` (staff vehicle answers show the owner)  |
 * | POST, first admin, demo garage, CLI      | none: no cached entry can describe a new account         |
 *
 * Session lookups (auth module, key `session_<hash>`) cache the user's role and name, which is why
 * a profile change drops them even when the sessions stay valid.
 */

/**
 * Invalidates what a change of an account makes stale: ends its sessions when asked (except
 * `keepTokenHash`), and drops the cached lookup of every session that stays.
 */
export async function afterUserChange(
  tx: Executor,
  touch: Touch,
  change: { userId: number; endSessions: boolean; keepTokenHash?: string | undefined },
): Promise<void> {
  if (change.endSessions) await revokeSessions(tx, touch, { userId: change.userId, exceptTokenHash: change.keepTokenHash })
  await touchUserSessions(tx, touch, change.userId)
}
