import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { setMileageFromReading, type MileageChangeHandler } from '../vehicles/index.ts'
import { addReading, sourceOf } from './odometer.service.ts'

/**
 * One rule for the mileage: a vehicle's initial mileage and every raise of it by a vehicle write are
 * odometer readings. Runs in the vehicle write's transaction with its row held; vehicles has already
 * refused a lowering (409 for everyone: a correction through POST /api/vehicles/:id/odometer is the
 * only way down), and addReading still refuses a value below a reading that lies between.
 */
export const readingFromMileageChange: MileageChangeHandler = async (tx, touch, change) => {
  const { mileage } = await addReading(
    tx,
    touch,
    change.vehicle,
    { vehicleId: change.vehicle.id, value: change.to, source: sourceOf(change.actor.role), reason: null, recordedBy: change.actor.userId },
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
