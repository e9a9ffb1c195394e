import { hashPassword } from '../../platform/auth/password.ts'
import type { Writer } from '../../platform/cache/writer.ts'
import type { Executor } from '../../platform/db/database.ts'
import { adminExists, findUserByEmail, insertUser, lockBootstrap } from './users.repository.ts'
import { normalizeEmail } from './users.service.ts'

/** What ensureFirstAdmin did: created it, found an admin already, or found the email on a non-admin account. */
export type FirstAdminOutcome = 'created' | 'admin-exists' | 'email-taken'

/**
 * Creates the configured admin when no admin exists (ECAR_ADMIN_EMAIL / ECAR_ADMIN_PASSWORD).
 * An existing non-admin account with that email is left alone: promoting it and replacing its
 * password silently would hand someone's account to whoever controls the settings.
 */
export async function ensureFirstAdmin(
  deps: { db: Executor; writer: Writer; passwordHashCost: number },
  admin: { email: string; password: string },
): Promise<FirstAdminOutcome> {
  // Cheap check first: every start-up after the first finds an admin and skips the slow hash.
  if (await adminExists(deps.db)) return 'admin-exists'
  const email = normalizeEmail(admin.email)
  const passwordHash = await hashPassword(admin.password, deps.passwordHashCost)
  return deps.writer.transaction(async (tx) => {
    await lockBootstrap(tx)
    if (await adminExists(tx)) return 'admin-exists'
    if (await findUserByEmail(tx, email)) return 'email-taken'
    await insertUser(tx, { email, passwordHash, name: 'Administrator', role: 'admin' })
    return 'created'
  })
}
