import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Role } from '../../platform/auth/roles.ts'
import type { Touch } from '../../platform/cache/writer.ts'
import type { Tx } from '../../platform/db/database.ts'

/** What changed on an account, as every module that keeps something derived from it needs to know. */
export interface AccountChange {
  userId: number
  /** The account was a customer before the change. */
  wasCustomer: boolean
  /** The role or the active flag changed. */
  accessChanged: boolean
  name: boolean
  phone: boolean
  email: boolean
  password: boolean
  /** End the account's sessions (but `keepTokenHash`, the session making the change, when given). */
  endSessions: boolean
  keepTokenHash?: string | undefined
  /** Drop the cached session lookups even if nothing they carry changed (an admin's change of the account). */
  refreshSessions?: boolean
  /**
   * The role before and after, where the change could move it (an admin's PATCH /api/users/:id);
   * absent for a user's or the front desk's change, which never changes the role.
   */
  roles?: { before: Role; after: Role }
}

/** A new account, as the modules that list accounts of a role need to know. */
export interface AccountCreated {
  userId: number
  role: Role
}

/** Runs inside the writer transaction of the change: throwing rolls the change back. */
export type AccountChangeHandler = (tx: Tx, touch: Touch, change: AccountChange) => Promise<void>

/** Runs inside the writer transaction that creates an account: throwing rolls the creation back. */
export type AccountCreatedHandler = (tx: Tx, touch: Touch, account: AccountCreated) => Promise<void>

/** Runs under the locked account row before its role changes; throwing (a 409) refuses the change. */
export type RoleChangeCheck = (tx: Tx, change: { userId: number; from: Role; to: Role }) => Promise<void>

/**
 * Account changes as events inside the writer's transaction. The users module owns accounts; the
 * modules that keep something derived from one (sessions, owner names in vehicle answers, a
 * customer's vehicles) subscribe here rather than being imported by it, so the dependency runs one
 * way: they depend on users, users on none of them.
 */
export interface AccountEvents {
  onChange(handler: AccountChangeHandler): void
  onRoleChange(check: RoleChangeCheck): void
  onCreate(handler: AccountCreatedHandler): void
  /** Runs every handler, in subscription order. */
  changed(tx: Tx, touch: Touch, change: AccountChange): Promise<void>
  /** Runs every creation handler, in subscription order. */
  created(tx: Tx, touch: Touch, account: AccountCreated): Promise<void>
  /** Runs every check; the first refusal wins. */
  roleChanging(tx: Tx, change: { userId: number; from: Role; to: Role }): Promise<void>
}

/** A fresh set of subscriptions (one per app). */
export function createAccountEvents(): AccountEvents {
  const handlers: AccountChangeHandler[] = []
  const checks: RoleChangeCheck[] = []
  const creations: AccountCreatedHandler[] = []
  return {
    onChange: (handler) => void handlers.push(handler),
    onRoleChange: (check) => void checks.push(check),
    onCreate: (handler) => void creations.push(handler),
    async changed(tx, touch, change) {
      for (const handler of handlers) await handler(tx, touch, change)
    },
    async created(tx, touch, account) {
      for (const handler of creations) await handler(tx, touch, account)
    },
    async roleChanging(tx, change) {
      for (const check of checks) await check(tx, change)
    },
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    accountEvents: AccountEvents
  }
}

/** Decorates `app.accountEvents`, which other modules' plugins subscribe to. */
export const accountEventsPlugin = fp(
  async (app: FastifyInstance) => {
    app.decorate('accountEvents', createAccountEvents())
  },
  { name: 'ecar-account-events' },
)
