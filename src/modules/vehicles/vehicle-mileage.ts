import { eq } from 'drizzle-orm'
import type { Touch } from '../../platform/cache/writer.ts'
import type { Executor } from '../../platform/db/database.ts'
import { updatedAtFor } from '../../platform/db/updated-at.ts'
import { ALL_VEHICLES_TAG, customerVehiclesTag, vehicleTag } from './vehicles.cache.ts'
import { vehicles } from './vehicles.table.ts'

/**
 * Sets a vehicle's mileage to what its odometer readings say (the latest by recordedAt, in the
 * vehicle's unit), for the odometer module, and touches every view of the vehicle. Call it inside
 * the writer transaction of the reading, with the vehicle row locked. It fires no mileage event: the
 * reading is the event. Returns false when the vehicle does not exist.
 */
export async function setMileageFromReading(tx: Executor, touch: Touch, vehicleId: number, mileage: number): Promise<boolean> {
  const [row] = await tx
    .update(vehicles)
    .set({ mileage, updatedAt: updatedAtFor(vehicles, { mileage }, vehicles.updatedAt) })
    .where(eq(vehicles.id, vehicleId))
    .returning({ ownerId: vehicles.ownerId })
  if (!row) return false
  touch(vehicleTag(vehicleId), ALL_VEHICLES_TAG, customerVehiclesTag(row.ownerId))
  return true
}
