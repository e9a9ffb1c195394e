import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { setMileageFromReading, type MileageChangeHandler } from '../vehicles/index.ts'
import { addReading, sourceOf } from './odometer.service.ts'

/** Why an admin's lowering of the mileage through PATCH /api/vehicles/:id is a correction (the route takes no reason). */
export const PATCH_CORRECTION_REASON = 'mileage lowered by an admin (PATCH /api/vehicles/:id)'

/**
 * One rule for the mileage: a vehicle's initial mileage and every change of it by a vehicle write
 * are odometer readings. Runs in the vehicle write's transaction with its row held; vehicles has
 * already refused a lowering by anyone but an admin, whose lowering is recorded as a correction.
 */
export const readingFromMileageChange: MileageChangeHandler = async (tx, touch, change) => {
  const lowered = change.from !== null && change.to < change.from
  const { mileage } = await addReading(
    tx,
    touch,
    change.vehicle,
    {
      vehicleId: change.vehicle.id,
      value: change.to,
      source: lowered ? 'correction' : sourceOf(change.actor.role),
      reason: lowered ? PATCH_CORRECTION_REASON : null,
      recordedBy: change.actor.userId,
    },
    change.from,
  )
  // Readings are never dated in the future, so this one is the latest; should a clock have drifted, the readings still rule.
  if (mileage !== change.to) await setMileageFromReading(tx, touch, change.vehicle.id, mileage)
}

/** Subscribes the odometer to the vehicles module's mileage events. */
export const odometerVehicleSubscriptions = fp(
  async (app: FastifyInstance) => {
    app.vehicleEvents.onMileageChange(readingFromMileageChange)
  },
  { name: 'ecar-odometer-vehicle-subscriptions', dependencies: ['ecar-vehicle-events'] },
)
