import type { Config } from '../../platform/config.ts'
import type { Executor } from '../../platform/db/database.ts'
import { findUserById, UserErrors } from '../users/index.ts'
import type { BackoffRule, DbRateLimiter } from '../../platform/auth/db-rate-limiter.ts'
import type { RateDecision, RateRule } from '../../platform/auth/rate-limiter.ts'
import { problem, tooManyRequests, type AppError } from '../../platform/http/errors.ts'

/**
 * The sign-in limits (docs/decisions/007-login-limits.md):
 * - `pair`: failures of one account from one address (/64) — the contract's "5 per account";
 * - `address`: failures from one address across accounts (50);
 * - `account`: attempts on one account from addresses that never signed in to it: the first `limit`
 *   pass, then one per back-off delay (10 s, doubling, at most the window);
 * - `known`: an address that signed in to the account (for a session's lifetime) skips `account`;
 * - `success`: successful sign-ins of one account (each is a full scrypt and a new session).
 */
export interface LoginRules {
  pair: RateRule
  address: RateRule
  account: BackoffRule
  known: RateRule
  success: RateRule
  registration: RateRule
}

/** The first back-off delay on an account past its free attempts; it doubles with each one admitted. */
export const BACKOFF_BASE_MS = 10_000

/** The rules for these settings. */
export function loginRules(config: Config): LoginRules {
  const auth = config.auth
  const window = auth.loginWindowMs
  return {
    pair: { name: 'login-pair', limit: auth.loginFailuresPerAccount, windowMs: window },
    address: { name: 'login-address', limit: auth.loginFailuresPerAddress, windowMs: window },
    account: { name: 'login-account', limit: auth.loginFailuresPerAccount, windowMs: window, baseDelayMs: BACKOFF_BASE_MS },
    known: { name: 'login-known', limit: Number.MAX_SAFE_INTEGER, windowMs: auth.sessionTtlMs },
    success: { name: 'login-success', limit: auth.loginSuccessesPerAccount, windowMs: window },
    registration: { name: 'register-address', limit: auth.registrationsPerAddress, windowMs: auth.registrationWindowMs },
  }
}

/** 429 with the longest wait of the refusing decisions. */
export function rateLimited(decisions: RateDecision[], detail = 'Too many attempts; try again later.'): AppError {
  const wait = Math.max(...decisions.filter((d) => !d.allowed).map((d) => d.retryAfterSeconds))
  return tooManyRequests(detail, wait)
}

/**
 * Clears every sign-in limit of one account (the admin's unlock): its back-off, its failures from
 * every address and its successes. Per-address counters stay: they are not the account's.
 */
export async function clearLoginLimits(limiter: DbRateLimiter, rules: LoginRules, email: string): Promise<number> {
  const cleared = await Promise.all([
    limiter.reset(rules.account, email),
    limiter.reset(rules.success, email),
    limiter.reset(rules.pair, email, { allUnder: true }),
  ])
  return cleared.reduce((a, b) => a + b, 0)
}

/** The admin's unlock of user `id`: clears its sign-in limits; 404 when there is no such user. */
export async function unlockAccount(db: Executor, limiter: DbRateLimiter, rules: LoginRules, id: number): Promise<{ email: string; cleared: number }> {
  const row = await findUserById(db, id)
  if (!row) throw problem(UserErrors.USER_NOT_FOUND, 'User not found.')
  return { email: row.email, cleared: await clearLoginLimits(limiter, rules, row.email) }
}
