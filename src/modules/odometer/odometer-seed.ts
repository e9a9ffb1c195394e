import type { Executor } from '../../platform/db/database.ts'
import type { OdometerUnit } from '../vehicles/index.ts'
import { insertReadings } from './odometer.repository.ts'
import type { ReadingSource } from './odometer.table.ts'
import { toKm } from './odometer-units.ts'

/** One reading of the demo garage. */
export interface SeedReading {
  vehicleId: number
  value: number
  unit: OdometerUnit
  recordedAt: Date
  source?: ReadingSource
  recordedBy?: number | null
}

/**
 * Inserts the demo garage's readings in one statement, for vehicles inserted behind the API: the
 * caller keeps each vehicle's mileage equal to its latest reading (in the vehicle's unit) and
 * makes the readings rise with time. Nothing is cached yet when the demo is seeded.
 */
export async function seedReadings(tx: Executor, readings: readonly SeedReading[]): Promise<void> {
  await insertReadings(
    tx,
    readings.map((r) => ({
      vehicleId: r.vehicleId,
      value: r.value,
      unit: r.unit,
      valueKm: toKm(r.value, r.unit),
      recordedAt: r.recordedAt,
      source: r.source ?? 'staff',
      reason: null,
      recordedBy: r.recordedBy ?? null,
    })),
  )
}
