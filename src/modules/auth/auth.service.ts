import { randomBytes } from 'node:crypto'
import type { Config } from '../../platform/config.ts'
import type { Db } from '../../platform/db/database.ts'
import type { Writer } from '../../platform/cache/writer.ts'
import type { Principal } from '../../platform/auth/principal.ts'
import type { DbRateLimiter } from '../../platform/auth/db-rate-limiter.ts'
import { hashPassword, needsRehash, verifyPassword } from '../../platform/auth/password.ts'
import { addressKey } from '../../platform/http/client-address.ts'
import { newToken, tokenHash } from '../../platform/auth/tokens.ts'
import { invalidInput, problem, unauthorized } from '../../platform/http/errors.ts'
import { sqlState, violatedConstraint } from '../../platform/db/db-errors.ts'
import type { Executor } from '../../platform/db/database.ts'
import { emailTaken, findUserByEmail, findUserById, insertRegisteredCustomer, normalizeEmail, replacePasswordHash, toUser, updateUser, type AccountEvents } from '../users/index.ts'
import { AuthErrors } from './auth.errors.ts'
import { loginRules, rateLimited } from './login-limits.ts'
import type { LoginInput, RegisterInput, UpdateMeInput, User } from './auth.schemas.ts'
import {
  deleteExpiredSessions,
  deleteSession,
  insertSession,
  lockUserSessions,
  trimSessions,
} from './sessions.repository.ts'

export interface AuthServiceDeps {
  db: Db
  writer: Writer
  config: Config
  limiter: DbRateLimiter
  events: AccountEvents
}

const badCredentials = () => problem(AuthErrors.BAD_CREDENTIALS, 'The email or password is wrong.')

/** Registration, sign-in, sign-out and the signed-in user's own account. */
export function createAuthService(deps: AuthServiceDeps) {
  const { db, writer, limiter } = deps
  const auth = deps.config.auth
  const rules = loginRules(deps.config)

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
   * the limits; what a refused or successful attempt counted is taken back afterwards.
   */
  async function admitLoginAttempt(email: string, address: string): Promise<void> {
    const pairId = [email, address] as const
    const [pair, fromAddress] = await Promise.all([limiter.hit(rules.pair, pairId), limiter.hit(rules.address, address)])
    const takeBack = () => Promise.all([limiter.undo(rules.pair, pairId), limiter.undo(rules.address, address)])
    if (!pair.allowed || !fromAddress.allowed) {
      // A refused attempt checked no password: it is not a failure of its own.
      await takeBack()
      throw rateLimited([pair, fromAddress])
    }
    // An address that signed in to this account before is not slowed by guesses from elsewhere.
    if ((await limiter.peek(rules.known, pairId)) === 0) {
      const account = await limiter.backoff(rules.account, email)
      if (!account.allowed) {
        await takeBack()
        throw rateLimited([account])
      }
    }
    const success = await limiter.hit(rules.success, email)
    if (!success.allowed) {
      await Promise.all([takeBack(), limiter.undo(rules.success, email)])
      throw rateLimited([success])
    }
  }

  /** A stored hash weaker than the current cost is replaced, unless the password changed meanwhile. */
  async function upgradeHash(userId: number, stored: string, password: string): Promise<void> {
    if (!needsRehash(stored, auth.passwordHashCost)) return
    try {
      await replacePasswordHash(db, userId, stored, await hashPassword(password, auth.passwordHashCost))
    } catch {
      // A busy scrypt queue or a failed write must not fail the sign-in: the next one tries again.
    }
  }

  return {
    /** Creates a customer account and signs it in. */
    async register(input: RegisterInput, ip: string): Promise<{ token: string; user: User }> {
      const decision = await limiter.hit(rules.registration, addressKey(ip))
      if (!decision.allowed) throw rateLimited([decision])
      const passwordHash = await hashPassword(input.password, auth.passwordHashCost)
      try {
        return await writer.transaction(async (tx) => {
          const row = await insertRegisteredCustomer(tx, { email: normalizeEmail(input.email), passwordHash, name: input.name, phone: input.phone ?? null })
          return { token: await startSession(tx, row.id), user: toUser(row) }
        })
      } catch (error) {
        if (sqlState(error) === '23505' && violatedConstraint(error) === 'users_email_key') {
          throw emailTaken()
        }
        throw error
      }
    },

    /** Checks the credentials and opens a session; the same 401 for every kind of failure. */
    async login(input: LoginInput, ip: string) {
      const email = normalizeEmail(input.email)
      const address = addressKey(ip)
      await admitLoginAttempt(email, address)
      const row = await findUserByEmail(db, email)
      const usable = row !== undefined && row.passwordHash.startsWith('scrypt$')
      const matches = await verifyPassword(input.password, usable ? row.passwordHash : await dummyHash)
      if (!usable || !matches || !row.active) {
        await limiter.undo(rules.success, email)
        throw badCredentials()
      }

      const pairId = [email, address] as const
      await Promise.all([
        limiter.reset(rules.pair, pairId),
        limiter.undo(rules.address, address),
        limiter.reset(rules.account, email),
        limiter.hit(rules.known, pairId),
        upgradeHash(row.id, row.passwordHash, input.password),
      ])
      const token = await writer.transaction(async (tx, touch) => {
        // One sign-in of a user at a time, so the bound on live sessions holds under concurrency.
        await lockUserSessions(tx, row.id)
        await deleteExpiredSessions(tx, row.id)
        const started = await startSession(tx, row.id)
        // The oldest sessions past the bound end, and so do their cached lookups on every instance.
        await trimSessions(tx, touch, row.id, auth.maxSessionsPerUser)
        return started
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
      const email = input.email === undefined ? undefined : normalizeEmail(input.email)
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
          if (sqlState(error) === '23505') throw emailTaken()
          throw error
        }
        if (!updated) return undefined
        // A new password ends every other session; the one in use stays.
        await deps.events.changed(tx, touch, {
          userId: principal.userId,
          wasCustomer: updated.role === 'customer',
          accessChanged: false,
          name: input.name !== undefined,
          phone: input.phone !== undefined,
          email: email !== undefined,
          password: passwordHash !== undefined,
          endSessions: passwordHash !== undefined,
          keepTokenHash: principal.sessionId,
        })
        return updated
      })
      if (!row) throw unauthorized()
      return toUser(row)
    },
  }

  /** A wrong current password counts as a failed sign-in of the account: a stolen token cannot guess it freely. */
  async function checkCurrentPassword(principal: Principal, currentPassword: string): Promise<void> {
    const decision = await limiter.backoff(rules.account, principal.email)
    if (!decision.allowed) throw rateLimited([decision])
    const row = await findUserById(db, principal.userId)
    if (!row || !(await verifyPassword(currentPassword, row.passwordHash))) {
      throw problem(AuthErrors.BAD_CURRENT_PASSWORD, 'The current password is wrong.', {
        errors: [{ field: 'body.currentPassword', message: 'is wrong' }],
      })
    }
    await limiter.reset(rules.account, principal.email)
  }
}

/** The auth service's operations. */
export type AuthService = ReturnType<typeof createAuthService>
