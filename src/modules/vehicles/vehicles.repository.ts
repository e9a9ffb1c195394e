import { and, asc, count, eq, gt, inArray, or, type SQL } from 'drizzle-orm'
import type { Executor } from '../../platform/db/database.ts'
import { likeLower, searchWords } from '../../platform/db/text-search.ts'
import { updatedAtFor } from '../../platform/db/updated-at.ts'
import { users } from '../users/index.ts'
import { vehicleColumns, vehicles, type VehicleRow } from './vehicles.table.ts'

/** The writable columns of a vehicle. */
export type VehicleValues = Omit<typeof vehicles.$inferInsert, 'id' | 'createdAt' | 'updatedAt'>

/** What a page of vehicles is filtered by. */
export interface VehicleFilter {
  ownerId?: number | undefined
  /** The contract's `?q=`: every word in plate, VIN, make or model (plates and VINs also without spaces, `-`, `.`, `/`). */
  q?: string | undefined
  /** Only ids above this (keyset pagination). */
  afterId: number
  /** Rows to fetch: the caller asks for one more than it shows to learn whether a next page exists. */
  limit: number
}

/** The `?q=` condition of vehicles: each word in the literal text or, with letters or digits, in the compact identifiers. */
export function vehicleSearchCondition(q: string | undefined): SQL | undefined {
  const words = searchWords(q).map((word) => {
    const literal = likeLower(vehicles.searchText, word.literal)
    return word.compact === null ? literal : or(literal, likeLower(vehicles.searchIds, word.compact))!
  })
  return words.length > 0 ? and(...words) : undefined
}

/** The query of a page of vehicles matching the filter, by ascending id (exported for EXPLAIN in tests). */
export function vehiclesQuery(db: Executor, filter: VehicleFilter) {
  const conditions: (SQL | undefined)[] = [gt(vehicles.id, filter.afterId), vehicleSearchCondition(filter.q)]
  if (filter.ownerId !== undefined) conditions.push(eq(vehicles.ownerId, filter.ownerId))
  return db
    .select(vehicleColumns)
    .from(vehicles)
    .where(and(...conditions))
    .orderBy(asc(vehicles.id))
    .limit(filter.limit)
}

/** Vehicles matching the filter, by ascending id. */
export async function listVehicles(db: Executor, filter: VehicleFilter): Promise<VehicleRow[]> {
  return vehiclesQuery(db, filter)
}

/** What staff see of a vehicle's owner. */
export interface OwnerRow {
  id: number
  name: string
  phone: string | null
}

/** The owners of these ids, by id (one query for a whole page). */
export async function findOwners(db: Executor, ids: readonly number[]): Promise<Map<number, OwnerRow>> {
  const unique = [...new Set(ids)]
  if (unique.length === 0) return new Map()
  const rows = await db.select({ id: users.id, name: users.name, phone: users.phone }).from(users).where(inArray(users.id, unique))
  return new Map(rows.map((row) => [row.id, row]))
}

/** Every vehicle of one owner, by ascending id. */
export async function listOwnerVehicles(db: Executor, ownerId: number): Promise<VehicleRow[]> {
  return db.select(vehicleColumns).from(vehicles).where(eq(vehicles.ownerId, ownerId)).orderBy(asc(vehicles.id))
}

/** One vehicle, or undefined. */
export async function findVehicle(db: Executor, id: number): Promise<VehicleRow | undefined> {
  const [row] = await db.select(vehicleColumns).from(vehicles).where(eq(vehicles.id, id)).limit(1)
  return row
}

/** One vehicle, locked until the transaction ends, so checks against its current values hold. */
export async function lockVehicle(tx: Executor, id: number): Promise<VehicleRow | undefined> {
  const [row] = await tx.select(vehicleColumns).from(vehicles).where(eq(vehicles.id, id)).for('update')
  return row
}

/** Inserts a vehicle; a duplicate VIN raises the unique violation of `vehicles_vin_key`. */
export async function insertVehicle(tx: Executor, values: VehicleValues): Promise<VehicleRow> {
  const [row] = await tx.insert(vehicles).values(values).returning(vehicleColumns)
  return row!
}

/** Inserts many vehicles in one statement (the demo garage); their ids, owners and mileages in order. */
export async function insertVehicles(tx: Executor, rows: readonly VehicleValues[]): Promise<{ id: number; ownerId: number; mileage: number }[]> {
  if (rows.length === 0) return []
  return tx.insert(vehicles).values([...rows]).returning({ id: vehicles.id, ownerId: vehicles.ownerId, mileage: vehicles.mileage })
}

/** Updates a vehicle's columns, and its updatedAt when one really changes; undefined when it does not exist. */
export async function updateVehicle(tx: Executor, id: number, changes: Partial<VehicleValues>): Promise<VehicleRow | undefined> {
  const [row] = await tx
    .update(vehicles)
    .set({ ...changes, updatedAt: updatedAtFor(vehicles, changes, vehicles.updatedAt) })
    .where(eq(vehicles.id, id))
    .returning(vehicleColumns)
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

/**
 * True when the account owns at least one vehicle. Called with the account's row locked FOR UPDATE:
 * giving a vehicle to an account share-locks that row first (isActiveCustomer of the users module),
 * so no vehicle can arrive between this check and the commit.
 */
export async function ownerHasVehicles(tx: Executor, userId: number): Promise<boolean> {
  const rows = await tx.select({ id: vehicles.id }).from(vehicles).where(eq(vehicles.ownerId, userId)).limit(1)
  return rows.length > 0
}
