import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Actor } from '../../platform/auth/principal.ts'
import type { Touch } from '../../platform/cache/writer.ts'
import type { Tx } from '../../platform/db/database.ts'
import type { Appointment } from './appointments.schemas.ts'

/** What a check-in hands its handler: the appointment as it is before the move, who checks it in, the reading. */
export interface CheckInContext {
  appointment: Appointment
  actor: Actor
  odometer: number
  /** As sent; undefined means the vehicle's unit. */
  odometerUnit: 'km' | 'mi' | undefined
}

/** Opens the work order and records the odometer, inside the status change's writer transaction; throwing refuses the check-in. */
export type CheckInHandler = (tx: Tx, touch: Touch, context: CheckInContext) => Promise<{ workOrderId: number }>

/**
 * The check-in port. Check-in opens a work order and records an odometer reading, both owned by
 * other modules; a flow registers the one handler that does both, so appointments import neither.
 */
export interface AppointmentCheckIn {
  register(handler: CheckInHandler): void
  /** The registered handler, if any (without one, checked_in is 503). */
  handler(): CheckInHandler | undefined
}

/** A fresh port (one per app). */
export function createAppointmentCheckIn(): AppointmentCheckIn {
  let registered: CheckInHandler | undefined
  return {
    register(handler) {
      if (registered) throw new Error('an appointment check-in handler is already registered')
      registered = handler
    },
    handler: () => registered,
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    appointmentCheckIn: AppointmentCheckIn
  }
}

/** Decorates `app.appointmentCheckIn`, where the check-in flow registers its handler. */
export const appointmentCheckInPlugin = fp(
  async (app: FastifyInstance) => {
    app.decorate('appointmentCheckIn', createAppointmentCheckIn())
  },
  { name: 'ecar-appointment-check-in' },
)
