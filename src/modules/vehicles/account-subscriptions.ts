import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { problem } from '../../platform/http/errors.ts'
import { UserErrors, type AccountChangeHandler, type RoleChangeCheck } from '../users/index.ts'
import { customerVehiclesTag } from './vehicles.cache.ts'
import { ownerHasVehicles } from './vehicles.repository.ts'

/**
 * Vehicles belong to customers: a customer who owns some cannot become staff. The users module runs
 * this under the account's row lock, and giving a vehicle to an account share-locks that row first,
 * so no vehicle can arrive between this check and the commit. Deactivation keeps the vehicles.
 */
export const refuseStaffWithVehicles: RoleChangeCheck = async (tx, change) => {
  if (change.from === 'customer' && change.to !== 'customer' && (await ownerHasVehicles(tx, change.userId))) {
    throw problem(UserErrors.OWNS_VEHICLES, 'This customer owns vehicles: move them to another customer before changing the role.')
  }
}

/** The customer data cache holds only active customers: a role or activity change may add or remove one. */
export const vehiclesAfterAccountChange: AccountChangeHandler = async (_tx, touch, change) => {
  if (change.accessChanged) touch(customerVehiclesTag(change.userId))
}

/** Subscribes vehicles to the users module's account events. */
export const vehiclesAccountSubscriptions = fp(
  async (app: FastifyInstance) => {
    app.accountEvents.onRoleChange(refuseStaffWithVehicles)
    app.accountEvents.onChange(vehiclesAfterAccountChange)
  },
  { name: 'ecar-vehicles-account-subscriptions', dependencies: ['ecar-account-events'] },
)
