import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Executor } from '../../platform/db/database.ts'
import { problem } from '../../platform/http/error-catalog.ts'
import { WorkOrderErrors } from './work-orders.errors.ts'
import { hasOpenWorkOrders, hasWorkOrders } from './work-orders.repository.ts'

/** The part of the vehicles module's `app.vehicleEvents` this module uses (a colleague's branch adds it). */
interface VehicleDeletingHook {
  onDeleting?(check: (tx: Executor, vehicle: { id: number }) => Promise<void>): void
}

/**
 * Refuses a vehicle's deletion while it has work orders: 409 ECAR_ERR_VEHICLE_HAS_OPEN_WORK_ORDERS for an
 * open one, ECAR_ERR_VEHICLE_HAS_HISTORY for invoiced or void ones (kept as its history; the foreign key
 * would refuse the delete anyway). The check runs under the vehicle's row lock, and opening an order
 * share-locks that row, so no order can arrive between the check and the delete.
 */
export async function assertVehicleDeletable(tx: Executor, vehicleId: number): Promise<void> {
  if (await hasOpenWorkOrders(tx, vehicleId)) throw problem(WorkOrderErrors.VEHICLE_HAS_OPEN_WORK_ORDERS, 'The vehicle has open work orders.')
  if (await hasWorkOrders(tx, vehicleId)) throw problem(WorkOrderErrors.VEHICLE_HAS_HISTORY, 'The vehicle has invoiced or void work orders, kept as its history.')
}

/** Subscribes to the vehicles' deleting check when the vehicles module offers it (`app.vehicleEvents.onDeleting`). */
export const workOrderVehicleSubscriptions = fp(
  async (app: FastifyInstance) => {
    const events = (app as unknown as { vehicleEvents?: VehicleDeletingHook }).vehicleEvents
    events?.onDeleting?.((tx, vehicle) => assertVehicleDeletable(tx, vehicle.id))
  },
  { name: 'ecar-work-order-vehicle-subscriptions' },
)
