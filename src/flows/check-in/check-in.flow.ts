import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { CheckInHandler } from '../../modules/appointments/index.ts'
import { recordReading } from '../../modules/odometer/index.ts'
import { createWorkOrderFromCheckIn } from '../../modules/work-orders/index.ts'

/**
 * Checking a car in, across three modules in the appointment's writer transaction: the odometer
 * reading (source check_in; its unit defaults to the vehicle's) and the draft work order (the
 * appointment's vehicle, bay, mechanic, requested work and services as concerns, the reading as
 * odometerIn). A refused reading (a lower one) refuses the check-in and nothing is written.
 */
export const checkInHandler: CheckInHandler = async (tx, touch, { appointment, actor, odometer, odometerUnit }) => {
  await recordReading(tx, touch, { vehicleId: appointment.vehicleId, value: odometer, unit: odometerUnit, source: 'check_in', recordedBy: actor.userId })
  const order = await createWorkOrderFromCheckIn(tx, touch, { appointment, actor, odometer })
  return { workOrderId: order.id }
}

/** Registers the check-in flow with the appointments module's port. */
export const checkInFlow = fp(
  async (app: FastifyInstance) => {
    app.appointmentCheckIn.register(checkInHandler)
  },
  { name: 'ecar-check-in-flow', dependencies: ['ecar-appointment-check-in'] },
)
