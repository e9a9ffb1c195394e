import { randomBytes } from 'node:crypto'
import { vinCheckDigit } from '../../../src/modules/vin/vin-decode.ts'
import type { Db } from '../../../src/platform/db/database.ts'
import { vehicles } from '../tables.ts'

const VIN_CHARS = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789'

/**
 * A random valid VIN (17 characters, no I, O or Q) whose check digit (9th character) computes, so
 * that a North-American one draws no warning on create; `wrongCheckDigit` gives one that does not.
 */
export function randomVin(options: { wrongCheckDigit?: boolean } = {}): string {
  const chars = Array.from(randomBytes(17), (b) => VIN_CHARS[b % VIN_CHARS.length]!)
  const right = vinCheckDigit(chars.join(''))
  chars[8] = options.wrongCheckDigit ? (right === '0' ? '1' : '0') : right
  return chars.join('')
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
