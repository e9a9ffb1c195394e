import { and, asc, count, eq, gt, ilike, or, sql, type SQL } from 'drizzle-orm'
import type { Executor } from '../../platform/db/database.ts'
import { likePattern } from '../../platform/http/pagination.ts'
import { vehicles, type VehicleRow } from './vehicles.table.ts'

/** The writable columns of a vehicle. */
export type VehicleValues = Omit<typeof vehicles.$inferInsert, 'id' | 'createdAt' | 'updatedAt'>

/** What a page of vehicles is filtered by. */
export interface VehicleFilter {
  ownerId?: number | undefined
  /** Literal, case-insensitive substring of plate, VIN, make or model. */
  q?: string | undefined
  /** Only ids above this (keyset pagination). */
  afterId: number
  /** Rows to fetch: the caller asks for one more than it shows to learn whether a next page exists. */
  limit: number
}

/** Vehicles matching the filter, by ascending id. */
export async function listVehicles(db: Executor, filter: VehicleFilter): Promise<VehicleRow[]> {
  const conditions: SQL[] = [gt(vehicles.id, filter.afterId)]
  if (filter.ownerId !== undefined) conditions.push(eq(vehicles.ownerId, filter.ownerId))
  if (filter.q) {
    const pattern = likePattern(filter.q)
    conditions.push(
      or(
        ilike(vehicles.licensePlate, pattern),
        ilike(vehicles.vin, pattern),
        ilike(vehicles.make, pattern),
        ilike(vehicles.model, pattern),
      )!,
    )
  }
  return db
    .select()
    .from(vehicles)
    .where(and(...conditions))
    .orderBy(asc(vehicles.id))
    .limit(filter.limit)
}

/** Every vehicle of one owner, by ascending id. */
export async function listOwnerVehicles(db: Executor, ownerId: number): Promise<VehicleRow[]> {
  return db.select().from(vehicles).where(eq(vehicles.ownerId, ownerId)).orderBy(asc(vehicles.id))
}

/** One vehicle, or undefined. */
export async function findVehicle(db: Executor, id: number): Promise<VehicleRow | undefined> {
  const [row] = await db.select().from(vehicles).where(eq(vehicles.id, id)).limit(1)
  return row
}

/** One vehicle, locked until the transaction ends, so checks against its current values hold. */
export async function lockVehicle(tx: Executor, id: number): Promise<VehicleRow | undefined> {
  const [row] = await tx.select().from(vehicles).where(eq(vehicles.id, id)).for('update')
  return row
}

/** Inserts a vehicle; a duplicate VIN raises the unique violation of `vehicles_vin_key`. */
export async function insertVehicle(tx: Executor, values: VehicleValues): Promise<VehicleRow> {
  const [row] = await tx.insert(vehicles).values(values).returning()
  return row!
}

/** Updates a vehicle's columns and its updatedAt; undefined when it does not exist. */
export async function updateVehicle(tx: Executor, id: number, changes: Partial<VehicleValues>): Promise<VehicleRow | undefined> {
  const [row] = await tx
    .update(vehicles)
    .set({ ...changes, updatedAt: sql`now()` })
    .where(eq(vehicles.id, id))
    .returning()
  return row
}

/** Deletes a vehicle; true when it existed. */
export async function deleteVehicle(tx: Executor, id: number): Promise<boolean> {
  const deleted = await tx.delete(vehicles).where(eq(vehicles.id, id)).returning({ id: vehicles.id })
  return deleted.length > 0
}

/** How many vehicles an owner has (call with the owner row locked, so the count cannot change meanwhile). */
export async function countOwnerVehicles(tx: Executor, ownerId: number): Promise<number> {
  const [row] = await tx.select({ n: count() }).from(vehicles).where(eq(vehicles.ownerId, ownerId))
  return row?.n ?? 0
}
