import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { AccountChangeHandler } from '../users/index.ts'
import { retireAccountTokens } from './account-tokens.repository.ts'
import { revokeSessions, touchUserSessions } from './sessions.repository.ts'

/**
 * What an account change does to what auth keeps: ends the sessions when asked (all but the one
 * making the change, if given), drops the cached lookups of those that stay when a field they carry
 * changed (name, email) or an admin changed the account, and retires the open reset and invitation
 * links on a new email (mailed to an old address) or a new password (made moot).
 */
export const sessionsAfterAccountChange: AccountChangeHandler = async (tx, touch, change) => {
  if (change.endSessions) await revokeSessions(tx, touch, { userId: change.userId, exceptTokenHash: change.keepTokenHash })
  if (change.refreshSessions || change.name || change.email) await touchUserSessions(tx, touch, change.userId)
  if (change.email || change.password) await retireAccountTokens(tx, change.userId)
}

/** Subscribes auth to the users module's account events. */
export const authAccountSubscriptions = fp(
  async (app: FastifyInstance) => {
    app.accountEvents.onChange(sessionsAfterAccountChange)
  },
  { name: 'ecar-auth-account-subscriptions', dependencies: ['ecar-account-events'] },
)
