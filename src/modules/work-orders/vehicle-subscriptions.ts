import type { FastifyInstance } from 'fastify'
import { VehicleErrors } from '../vehicles/index.ts'
import fp from 'fastify-plugin'
import type { Executor } from '../../platform/db/database.ts'
import { problem } from '../../platform/http/errors.ts'
import { hasOpenWorkOrders, hasWorkOrders } from './work-orders.repository.ts'

/**
 * Refuses a vehicle's deletion while it has work orders: 409 ECAR_ERR_VEHICLE_HAS_OPEN_WORK_ORDERS for an
 * open one, VEHICLE_HAS_HISTORY for invoiced or void ones (kept as its history; the foreign key
 * would refuse the delete anyway). The check runs under the vehicle's row lock, and opening an order
 * share-locks that row, so no order can arrive between the check and the delete.
 */
export async function assertVehicleDeletable(tx: Executor, vehicleId: number): Promise<void> {
  if (await hasOpenWorkOrders(tx, vehicleId)) throw problem(VehicleErrors.VEHICLE_HAS_OPEN_WORK_ORDERS, 'The vehicle has open work orders.')
  if (await hasWorkOrders(tx, vehicleId)) throw problem(VehicleErrors.VEHICLE_HAS_HISTORY, 'The vehicle has invoiced or void work orders, kept as its history.')
}

/** Subscribes to the vehicles' deleting check (`app.vehicleEvents.onDeleting`). */
export const workOrderVehicleSubscriptions = fp(
  async (app: FastifyInstance) => {
    app.vehicleEvents.onDeleting((tx, vehicle) => assertVehicleDeletable(tx, vehicle.id))
  },
  { name: 'ecar-work-order-vehicle-subscriptions', dependencies: ['ecar-vehicle-events'] },
)
