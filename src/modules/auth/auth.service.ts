import { randomBytes } from 'node:crypto'
import type { Config } from '../../platform/config.ts'
import type { Db } from '../../platform/db/database.ts'
import type { Writer } from '../../platform/cache/writer.ts'
import type { Principal } from '../../platform/auth/principal.ts'
import type { RateDecision, RateLimiter, RateRule } from '../../platform/auth/rate-limiter.ts'
import { hashPassword, verifyPassword } from '../../platform/auth/password.ts'
import { newToken, tokenHash } from '../../platform/auth/tokens.ts'
import { AppError, conflict, invalidInput, tooManyRequests, unauthorized } from '../../platform/http/errors.ts'
import { sqlState, violatedConstraint } from '../../platform/db/db-errors.ts'
import type { Executor } from '../../platform/db/database.ts'
import { findUserByEmail, findUserById } from '../users/users.repository.ts'
import { toUser } from '../users/users.service.ts'
import { insertCustomer, updateUser } from './auth.repository.ts'
import type { LoginInput, RegisterInput, UpdateMeInput, User } from './auth.schemas.ts'
import { afterOwnProfileChange } from './own-profile.ts'
import { deleteExpiredSessions, deleteSession, insertSession, revokeSessions, touchUserSessions } from './sessions.repository.ts'

export interface AuthServiceDeps {
  db: Db
  writer: Writer
  config: Config
  limiter: RateLimiter
}

const badCredentials = () => new AppError(401, 'ECAR_ERR_BAD_CREDENTIALS', 'The email or password is wrong.')

function rateLimited(decisions: RateDecision[]): AppError {
  const wait = Math.max(...decisions.filter((d) => !d.allowed).map((d) => d.retryAfterSeconds))
  return tooManyRequests('Too many attempts; try again later.', wait)
}

/** Registration, sign-in, sign-out and the signed-in user's own account. */
export function createAuthService(deps: AuthServiceDeps) {
  const { db, writer, limiter } = deps
  const auth = deps.config.auth
  const accountRule: RateRule = { name: 'login-account', limit: auth.loginFailuresPerAccount, windowMs: auth.loginWindowMs }
  const addressRule: RateRule = { name: 'login-address', limit: auth.loginFailuresPerAddress, windowMs: auth.loginWindowMs }
  const registrationRule: RateRule = { name: 'register-address', limit: auth.registrationsPerAddress, windowMs: auth.registrationWindowMs }

  // Unknown and unusable accounts are checked against this, so they take as long as a wrong password.
  // Made at start-up: making it on first use would slow exactly that one answer down.
  const dummyHash = hashPassword(randomBytes(24).toString('base64url'), auth.passwordHashCost)
  dummyHash.catch(() => {})

  async function startSession(tx: Executor, userId: number): Promise<string> {
    const token = newToken()
    await insertSession(tx, { tokenHash: tokenHash(token), userId, expiresAt: new Date(Date.now() + auth.sessionTtlMs) })
    return token
  }

  /**
   * Counts the attempt before checking the password, so parallel guesses cannot all slip in under
   * the limit; an attempt that succeeds is taken back afterwards.
   */
  async function countLoginAttempt(email: string, address: string): Promise<[RateDecision, RateDecision]> {
    const decisions = await Promise.all([limiter.hit(accountRule, email), limiter.hit(addressRule, address)])
    const [account, fromAddress] = decisions
    if (!account.allowed || !fromAddress.allowed) {
      // A refused attempt checked no password: it is not a failure of its own.
      await Promise.all([limiter.undo(accountRule, email, account.store), limiter.undo(addressRule, address, fromAddress.store)])
      throw rateLimited(decisions)
    }
    return decisions
  }

  return {
    /** Creates a customer account and signs it in. */
    async register(input: RegisterInput, address: string): Promise<{ token: string; user: User }> {
      const decision = await limiter.hit(registrationRule, address)
      if (!decision.allowed) throw rateLimited([decision])
      const passwordHash = await hashPassword(input.password, auth.passwordHashCost)
      try {
        return await writer.transaction(async (tx) => {
          const row = await insertCustomer(tx, { email: input.email.toLowerCase(), passwordHash, name: input.name, phone: input.phone ?? null })
          return { token: await startSession(tx, row.id), user: toUser(row) }
        })
      } catch (error) {
        if (sqlState(error) === '23505' && violatedConstraint(error) === 'users_email_key') {
          throw conflict('ECAR_ERR_EMAIL_TAKEN', 'An account with this email already exists.')
        }
        throw error
      }
    },

    /** Checks the credentials and opens a session; the same 401 for every kind of failure. */
    async login(input: LoginInput, address: string) {
      const email = input.email.trim().toLowerCase()
      const [, fromAddress] = await countLoginAttempt(email, address)
      const row = await findUserByEmail(db, email)
      const usable = row !== undefined && row.passwordHash.startsWith('scrypt$')
      const matches = await verifyPassword(input.password, usable ? row.passwordHash : await dummyHash)
      if (!usable || !matches || !row.active) throw badCredentials()

      await Promise.all([limiter.reset(accountRule, email), limiter.undo(addressRule, address, fromAddress.store)])
      const token = await writer.transaction(async (tx) => {
        await deleteExpiredSessions(tx, row.id)
        return startSession(tx, row.id)
      })
      return { token, user: { id: row.id, email: row.email, name: row.name, role: row.role } }
    },

    /** Ends the caller's session at once, on every instance. */
    async logout(principal: Principal): Promise<void> {
      await writer.transaction((tx, touch) => deleteSession(tx, touch, principal.sessionId))
    },

    /** The signed-in user. */
    async me(principal: Principal): Promise<User> {
      const row = await findUserById(db, principal.userId)
      // The session outlived its user only by a race with the deletion.
      if (!row) throw unauthorized()
      return toUser(row)
    },

    /** Changes the caller's name, phone or password; a new password ends every other session. */
    async updateMe(principal: Principal, input: UpdateMeInput): Promise<User> {
      const { password, currentPassword } = input
      const email = input.email === undefined ? undefined : input.email.trim().toLowerCase()
      if (password === undefined && email === undefined && currentPassword !== undefined) {
        throw invalidInput('The request is invalid; see errors.', [{ field: 'body.currentPassword', message: 'is only accepted with password or email' }])
      }
      let passwordHash: string | undefined
      if (password !== undefined || email !== undefined) {
        if (currentPassword === undefined) {
          throw invalidInput('The request is invalid; see errors.', [{ field: 'body.currentPassword', message: 'is required to change the password or email' }])
        }
        await checkCurrentPassword(principal, currentPassword)
        if (password !== undefined) passwordHash = await hashPassword(password, auth.passwordHashCost)
      }
      const row = await writer.transaction(async (tx, touch) => {
        let updated
        try {
          updated = await updateUser(tx, principal.userId, { name: input.name, phone: input.phone, email, passwordHash })
        } catch (error) {
          if (sqlState(error) === '23505') throw conflict('ECAR_ERR_EMAIL_TAKEN', 'An account with this email already exists.')
          throw error
        }
        if (!updated) return undefined
        if (passwordHash !== undefined) await revokeSessions(tx, touch, { userId: principal.userId, exceptTokenHash: principal.sessionId })
        // Cached session lookups carry the name and the email.
        if (input.name !== undefined || email !== undefined) await touchUserSessions(tx, touch, principal.userId)
        await afterOwnProfileChange(tx, touch, { userId: principal.userId, role: updated.role, nameOrPhone: input.name !== undefined || input.phone !== undefined, email: email !== undefined })
        return updated
      })
      if (!row) throw unauthorized()
      return toUser(row)
    },
  }

  /** A wrong current password counts as a failed sign-in of the account: a stolen token cannot guess it freely. */
  async function checkCurrentPassword(principal: Principal, currentPassword: string): Promise<void> {
    const decision = await limiter.hit(accountRule, principal.email)
    if (!decision.allowed) {
      await limiter.undo(accountRule, principal.email, decision.store)
      throw rateLimited([decision])
    }
    const row = await findUserById(db, principal.userId)
    if (!row || !(await verifyPassword(currentPassword, row.passwordHash))) {
      throw new AppError(400, 'ECAR_ERR_BAD_CURRENT_PASSWORD', 'The current password is wrong.', {
        errors: [{ field: 'body.currentPassword', message: 'is wrong' }],
      })
    }
    await limiter.undo(accountRule, principal.email, decision.store)
  }
}

/** The auth service's operations. */
export type AuthService = ReturnType<typeof createAuthService>
