import type { Executor } from '../../platform/db/database.ts'
import type { AppointmentStatus } from './appointment.machine.ts'
import { insertAppointments, type AppointmentValues } from './appointments.repository.ts'
import type { AppointmentRow } from './appointments.table.ts'

/** What the demo hands the seed: rows it already made. */
export interface SeedAppointmentsInput {
  customers: readonly { id: number }[]
  vehicles: readonly { id: number; ownerId: number }[]
  bays: readonly { id: number }[]
  mechanics: readonly { id: number }[]
  now: Date
}

const HOUR = 3_600_000
const WORK = ['Annual service', 'Brakes squeak when stopping', 'MOT and a check of the tyres', 'Engine light on', 'Air conditioning weak', 'Clutch slipping']

/**
 * Demo appointments over the coming week in every status: yesterday's checked in and no-shows, a
 * cancellation, and requested and confirmed ones for the next seven days (every day at 09:00,
 * 11:00, 13:00 and 15:00 UTC, each on its own bay, alternating mechanics, so none overlaps).
 * Check-ins carry no work order (the demo's work orders are the work-orders module's to seed).
 */
export async function seedAppointments(tx: Executor, input: SeedAppointmentsInput): Promise<AppointmentRow[]> {
  if (input.vehicles.length === 0 || input.bays.length === 0) return []
  const midnight = Date.UTC(input.now.getUTCFullYear(), input.now.getUTCMonth(), input.now.getUTCDate())
  const rows: AppointmentValues[] = []
  for (let day = -1; day <= 7; day++) {
    for (let slot = 0; slot < 4; slot++) {
      const i = rows.length
      const vehicle = input.vehicles[i % input.vehicles.length]!
      const startsAt = new Date(midnight + day * 24 * HOUR + (9 + slot * 2) * HOUR)
      const status: AppointmentStatus =
        day < 0 ? (slot === 3 ? 'no_show' : 'checked_in') : slot === 3 && day % 3 === 0 ? 'cancelled' : slot % 2 === 0 ? 'confirmed' : 'requested'
      rows.push({
        customerId: vehicle.ownerId,
        vehicleId: vehicle.id,
        startsAt,
        endsAt: new Date(startsAt.getTime() + (slot === 0 ? 2 : 1) * HOUR),
        status,
        bayId: input.bays[slot % input.bays.length]!.id,
        mechanicId: status === 'requested' || input.mechanics.length === 0 ? null : input.mechanics[i % input.mechanics.length]!.id,
        serviceIds: [],
        requestedWork: WORK[i % WORK.length]!,
        notes: status === 'confirmed' ? 'Customer will wait' : null,
        workOrderId: null,
      })
    }
  }
  return insertAppointments(tx, rows)
}
