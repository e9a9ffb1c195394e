import { sql } from 'drizzle-orm'
import { check, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core'
import { users } from '../users/users.table.ts'

/** Customers' vehicles (the seed's Vehicle model). VINs are stored upper-case and unique. */
export const vehicles = pgTable(
  'vehicles',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    ownerId: integer('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    make: text('make').notNull(),
    model: text('model').notNull(),
    year: integer('year').notNull(),
    vin: text('vin').notNull(),
    licensePlate: text('license_plate').notNull(),
    mileage: integer('mileage').notNull(),
    color: text('color').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('vehicles_vin_key').on(t.vin),
    index('vehicles_owner_idx').on(t.ownerId, t.id),
    check('vehicles_mileage_check', sql`${t.mileage} >= 0`),
    check('vehicles_year_check', sql`${t.year} >= 1886`),
    check('vehicles_vin_check', sql`${t.vin} ~ '^[A-HJ-NPR-Z0-9]{17}$'`),
  ],
)

export type VehicleRow = typeof vehicles.$inferSelect
