/* The appointments module: bookings of bays (and mechanics) that the database never double-books. */
import { defineModule } from '../../platform/registry/module-definition.ts'
import { appointmentsAccess } from './appointments.access.ts'
import { APPOINTMENTS_CACHE } from './appointments.cache.ts'
import { AppointmentErrors } from './appointments.errors.ts'
import { APPOINTMENT_PERMISSIONS } from './appointments.policy.ts'
import { appointmentsRoutes, availabilityRoutes } from './appointments.routes.ts'
import { appointments } from './appointments.table.ts'
import { appointmentCheckInPlugin } from './check-in.ts'

export { appointments, type AppointmentRow } from './appointments.table.ts'
export { AppointmentSchema, toAppointment, type Appointment } from './appointments.schemas.ts'
export { appointmentTag, allAppointmentsTag, customerAppointmentsTag, mechanicAppointmentsTag, appointmentDayTag } from './appointments.cache.ts'
export { reachableAppointmentIds } from './appointments.policy.ts'
export { APPOINTMENT_STATUSES, appointmentMachine, BAY_HOLDING_APPOINTMENT_STATUSES, type AppointmentStatus } from './appointment.machine.ts'
export type { AppointmentCheckIn, CheckInContext, CheckInHandler } from './check-in.ts'
export type { AppointmentFixtures } from './appointments.access.ts'
export { seedAppointments, type SeedAppointmentsInput } from './appointments.seed.ts'

/** Availability and appointments (api-garage.md "Appointments"). */
export const appointmentsModule = defineModule({
  name: 'appointments',
  plugins: [appointmentCheckInPlugin],
  apiTags: [{ name: 'appointments', description: 'Availability and bookings: bays and mechanics are never double-booked' }],
  routes: [
    { prefix: '/api/availability', plugin: availabilityRoutes },
    { prefix: '/api/appointments', plugin: appointmentsRoutes },
  ],
  tables: { appointments },
  cache: APPOINTMENTS_CACHE,
  permissions: APPOINTMENT_PERMISSIONS,
  access: appointmentsAccess,
  errors: AppointmentErrors,
})
