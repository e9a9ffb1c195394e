import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { AccountChangeHandler } from '../users/index.ts'
import { touchCustomerOwnerViews } from './customers.cache.ts'

/** A customer's name or phone shows as the owner in staff vehicle answers and in their cached vehicle list. */
export const ownerViewsAfterAccountChange: AccountChangeHandler = async (_tx, touch, change) => {
  if (change.wasCustomer && (change.name || change.phone)) touchCustomerOwnerViews(touch, change.userId)
}

/** Subscribes customers to the users module's account events. */
export const customersAccountSubscriptions = fp(
  async (app: FastifyInstance) => {
    app.accountEvents.onChange(ownerViewsAfterAccountChange)
  },
  { name: 'ecar-customers-account-subscriptions', dependencies: ['ecar-account-events'] },
)
