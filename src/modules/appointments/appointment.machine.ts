// The appointment's statuses (api-garage.md "Appointments"), moved through POST /api/appointments/:id/status.
import { defineMachine } from '../../kernel/state-machine.ts'

/** Every appointment status, requested first. */
export const APPOINTMENT_STATUSES = ['requested', 'confirmed', 'checked_in', 'cancelled', 'no_show'] as const

/** An appointment's status. */
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number]

/** Who moves an appointment: its owner (the customer), or staff at the desk. */
export type AppointmentActor = 'owner' | 'advisor' | 'admin'

const DESK = ['advisor', 'admin'] as const

/** The appointment machine. `afterStart`: now is at or after the appointment's startsAt (the service checks). */
export const appointmentMachine = defineMachine<AppointmentStatus, AppointmentActor>({
  states: APPOINTMENT_STATUSES,
  transitions: [
    { from: 'requested', to: 'confirmed', by: DESK },
    // Check-in opens the work order and records the odometer: the service's work, not the table's.
    { from: 'confirmed', to: 'checked_in', by: DESK },
    { from: ['requested', 'confirmed'], to: 'cancelled', by: ['owner', ...DESK] },
    { from: 'confirmed', to: 'no_show', by: DESK, requires: 'afterStart' },
  ],
})

/** The statuses in which an appointment holds its bay (and its mechanic) for [startsAt, endsAt). */
export const BAY_HOLDING_APPOINTMENT_STATUSES: readonly AppointmentStatus[] = ['requested', 'confirmed', 'checked_in']
