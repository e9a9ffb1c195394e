import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { AccountChangeHandler, AccountCreatedHandler } from '../users/index.ts'
import { mechanicsTag } from './mechanics.cache.ts'

/**
 * A change can alter the mechanics' list when it renames or (de)activates an account that is or was
 * a mechanic. Where the event carries the roles (an admin's change) that decides; without them (a
 * user's own change, which never moves the role) any staff account may be a mechanic, and a
 * customer's never is.
 */
export const mechanicsAfterAccountChange: AccountChangeHandler = async (_tx, touch, change) => {
  if (!change.name && !change.accessChanged) return
  const mayBeMechanic = change.roles ? change.roles.before === 'mechanic' || change.roles.after === 'mechanic' : !change.wasCustomer
  if (mayBeMechanic) touch(mechanicsTag())
}

/** A new mechanic joins the list at once. */
export const mechanicsAfterAccountCreated: AccountCreatedHandler = async (_tx, touch, account) => {
  if (account.role === 'mechanic') touch(mechanicsTag())
}

/** Subscribes the mechanics list to the users module's account events. */
export const mechanicsAccountSubscriptions = fp(
  async (app: FastifyInstance) => {
    app.accountEvents.onChange(mechanicsAfterAccountChange)
    app.accountEvents.onCreate(mechanicsAfterAccountCreated)
  },
  { name: 'ecar-mechanics-account-subscriptions', dependencies: ['ecar-account-events'] },
)
