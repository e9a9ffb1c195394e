import { randomBytes } from 'node:crypto'
import type { Db } from '../../../src/platform/db/database.ts'
import { vehicles } from '../tables.ts'

const VIN_CHARS = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789'

/** A random valid VIN (17 characters, no I, O or Q). */
export function randomVin(): string {
  const bytes = randomBytes(17)
  return Array.from(bytes, (b) => VIN_CHARS[b % VIN_CHARS.length]).join('')
}

/** Inserts a vehicle for an owner; fields may be overridden. */
export async function createVehicle(db: Db, ownerId: number, fields: Partial<typeof vehicles.$inferInsert> = {}) {
  const [row] = await db
    .insert(vehicles)
    .values({
      ownerId,
      make: 'Ford',
      model: 'Focus',
      year: 2018,
      vin: randomVin(),
      licensePlate: `T-${randomBytes(3).toString('hex').toUpperCase()}`,
      mileage: 42_000,
      color: 'Blue',
      ...fields,
    })
    .returning()
  return row!
}

/** A valid POST /api/vehicles body with a fresh VIN; fields may be overridden. */
export function vehicleBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    make: 'Toyota',
    model: 'Corolla',
    year: 2020,
    vin: randomVin(),
    licensePlate: 'AB-123-C',
    mileage: 10_000,
    color: 'Red',
    ...overrides,
  }
}
