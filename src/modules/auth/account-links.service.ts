import type { DbRateLimiter } from '../../platform/auth/db-rate-limiter.ts'
import type { RateRule } from '../../platform/auth/rate-limiter.ts'
import { hashPassword, UNUSABLE_PASSWORD_HASH } from '../../platform/auth/password.ts'
import { newToken, tokenHash } from '../../platform/auth/tokens.ts'
import type { Touch, Writer } from '../../platform/cache/writer.ts'
import type { Config } from '../../platform/config.ts'
import type { Db, Tx } from '../../platform/db/database.ts'
import { addressKey } from '../../platform/http/client-address.ts'
import { problem } from '../../platform/http/errors.ts'
import type { Outbox } from '../messages/index.ts'
import { findUserByEmail, findUserById, updateUserRow, UserErrors } from '../users/index.ts'
import { normalizeEmail, toUser } from '../users/index.ts'
import type { UserRow } from '../users/index.ts'
import { invitationLink, invitationMessage, resetLink, resetMessage } from './account-links.ts'
import { rateLimited } from './login-limits.ts'
import { AuthErrors } from './auth.errors.ts'
import { consumeAccountToken, insertAccountToken, retireAccountTokens } from './account-tokens.repository.ts'
import type { User } from './auth.schemas.ts'
import { insertSession, revokeSessions } from './sessions.repository.ts'

/** 410 for a link that is unknown, already used or expired: one answer, since a client can do nothing else with any of them. */
export const linkGone = () => problem(AuthErrors.LINK_GONE, 'This link has been used, has expired or does not exist; ask for a new one.')

/** True when the account has a password one can sign in with (not one opened at the desk without). */
export function hasPassword(row: Pick<UserRow, 'passwordHash'>): boolean {
  return row.passwordHash !== UNUSABLE_PASSWORD_HASH
}

/** Password reset and invitations: one-time links, mailed through the outbox. */
export function createAccountLinksService(deps: { db: Db; writer: Writer; config: Config; limiter: Pick<DbRateLimiter, 'hit'>; outbox: Outbox }) {
  const { db, writer, config, limiter, outbox } = deps
  const mail = config.mail
  const perAddress: RateRule = { name: 'reset-address', limit: mail.resetsPerAddress, windowMs: mail.resetWindowMs }
  const perEmail: RateRule = { name: 'reset-email', limit: mail.resetsPerEmail, windowMs: mail.resetWindowMs }
  const pending = new Set<Promise<void>>()

  /** Sets a new password and ends every session of the user, in the caller's transaction. */
  async function setPassword(tx: Tx, touch: Touch, userId: number, passwordHash: string) {
    const row = await updateUserRow(tx, userId, { passwordHash })
    // Every token of the account dies with the old password: other reset links, the invitation.
    await retireAccountTokens(tx, userId)
    await revokeSessions(tx, touch, { userId })
    return row
  }

  return {
    /**
     * Mails a reset link when the address belongs to an active account. The answer comes after the
     * same work either way (the limits and one read); the link and its mail are written after it,
     * so its timing does not tell whether the address exists. Resolves with that write, which the
     * caller must not await before answering (see `drain`).
     */
    async requestReset(emailInput: string, ip: string): Promise<{ written: Promise<void> }> {
      const email = normalizeEmail(emailInput)
      // An IPv6 client holds a whole /64: counted as one address, as sign-ins and registrations are.
      const decisions = await Promise.all([limiter.hit(perAddress, addressKey(ip)), limiter.hit(perEmail, email)])
      if (decisions.some((d) => !d.allowed)) throw rateLimited(decisions, 'Too many password-reset requests; try again later.')
      const row = await findUserByEmail(db, email)
      if (!row?.active) return { written: Promise.resolve() }
      const token = newToken()
      // After a macrotask: PGlite runs queries on this thread, and the answer must be out first.
      const written = new Promise((resolve) => setTimeout(resolve, 0)).then(() => writer.transaction(async (tx) => {
        // One live reset link per account: a new request retires the older one. The account's row is
        // locked first, so concurrent requests take turns and cannot each leave a live link.
        if (!(await findUserById(tx, row.id, { forUpdate: true }))) return
        await retireAccountTokens(tx, row.id, 'password_reset')
        await insertAccountToken(tx, {
          tokenHash: tokenHash(token),
          userId: row.id,
          purpose: 'password_reset',
          expiresAt: new Date(Date.now() + mail.resetTtlMs),
        })
        await outbox.enqueue(tx, resetMessage(row, resetLink(mail.publicUrl, token), Math.round(mail.resetTtlMs / 60_000)))
      }))
      pending.add(written)
      void written.finally(() => pending.delete(written)).catch(() => {})
      return { written }
    },

    /** Waits for the reset links still being written (the app's onClose). */
    async drain(): Promise<void> {
      await Promise.allSettled([...pending])
    },

    /** Uses a reset link: sets the password and ends every session of that user (410 if the link is gone). */
    async completeReset(token: string, password: string): Promise<void> {
      // Hashing is slow: before the transaction, so it holds no lock meanwhile.
      const passwordHash = await hashPassword(password, config.auth.passwordHashCost)
      await writer.transaction(async (tx, touch) => {
        const userId = await consumeAccountToken(tx, tokenHash(token), 'password_reset')
        if (userId === undefined) throw linkGone()
        await setPassword(tx, touch, userId, passwordHash)
      })
    },

    /**
     * A one-time link with which a customer opened at the desk sets a password, also mailed to
     * them. Refused (409) for an account that already has a password: the link is shown to staff,
     * who must not be able to take an account over with it.
     */
    async invite(customerId: number): Promise<{ url: string; expiresAt: string }> {
      const token = newToken()
      const expiresAt = new Date(Date.now() + mail.invitationTtlMs)
      const url = invitationLink(mail.publicUrl, token)
      await writer.transaction(async (tx) => {
        const row = await findUserById(tx, customerId, { forUpdate: true })
        if (!row || row.role !== 'customer') throw problem(UserErrors.CUSTOMER_NOT_FOUND, 'Customer not found.')
        if (!row.active) throw problem(AuthErrors.CUSTOMER_INACTIVE, 'The customer account is deactivated.')
        if (hasPassword(row)) throw problem(AuthErrors.HAS_PASSWORD, 'The customer already has a password; they can reset it themselves.')
        // One live invitation per customer: a new one replaces the last.
        await retireAccountTokens(tx, row.id, 'invitation')
        await insertAccountToken(tx, { tokenHash: tokenHash(token), userId: row.id, purpose: 'invitation', expiresAt })
        await outbox.enqueue(tx, invitationMessage(row, url, Math.round(mail.invitationTtlMs / 86_400_000)))
      })
      return { url, expiresAt: expiresAt.toISOString() }
    },

    /** Uses an invitation: sets the password and signs the customer in (410 if the link is gone). */
    async acceptInvitation(token: string, password: string): Promise<{ token: string; user: User }> {
      const passwordHash = await hashPassword(password, config.auth.passwordHashCost)
      return writer.transaction(async (tx, touch) => {
        const userId = await consumeAccountToken(tx, tokenHash(token), 'invitation')
        if (userId === undefined) throw linkGone()
        const current = await findUserById(tx, userId, { forUpdate: true })
        // Deactivated, no longer a customer, or a password set meanwhile (by a reset): the invitation is void.
        if (!current || !current.active || current.role !== 'customer' || hasPassword(current)) throw linkGone()
        const row = await setPassword(tx, touch, userId, passwordHash)
        const session = newToken()
        await insertSession(tx, { tokenHash: tokenHash(session), userId, expiresAt: new Date(Date.now() + config.auth.sessionTtlMs) })
        return { token: session, user: toUser(row!) }
      })
    },
  }
}

/** The account-links service. */
export type AccountLinksService = ReturnType<typeof createAccountLinksService>
