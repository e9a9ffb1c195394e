import { desc, eq } from 'drizzle-orm'
import type { Db } from '../../../src/platform/db/database.ts'
import { odometerReadings } from '../../../src/modules/odometer/odometer.table.ts'

/** Every reading of a vehicle as stored, newest first (by recordedAt, then id). */
export async function readingsOf(db: Db, vehicleId: number) {
  return db
    .select()
    .from(odometerReadings)
    .where(eq(odometerReadings.vehicleId, vehicleId))
    .orderBy(desc(odometerReadings.recordedAt), desc(odometerReadings.id))
}
