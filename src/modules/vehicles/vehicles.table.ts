import { sql } from 'drizzle-orm'
import { check, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core'
import { compactSql, searchTextSql } from '../../platform/db/text-search.ts'
import { users } from '../users/users.table.ts'

/** The units an odometer counts in. */
export type OdometerUnit = 'km' | 'mi'

/** Customers' vehicles (the seed's Vehicle model). VINs are stored upper-case and unique; search columns are generated. */
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
    // The unit of `mileage` and of readings given without one; the shop's default when not given.
    odometerUnit: text('odometer_unit').$type<OdometerUnit>().notNull().default('km'),
    color: text('color').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    // Maintained by PostgreSQL for `?q=` (src/platform/db/text-search.ts); never written by the app.
    searchText: text('search_text')
      .notNull()
      .generatedAlwaysAs(searchTextSql('license_plate', 'vin', 'make', 'model')),
    searchIds: text('search_ids')
      .notNull()
      .generatedAlwaysAs(compactSql('license_plate', 'vin')),
  },
  (t) => [
    uniqueIndex('vehicles_vin_key').on(t.vin),
    index('vehicles_owner_idx').on(t.ownerId, t.id),
    index('vehicles_search_text_idx').using('gin', t.searchText.op('gin_trgm_ops')),
    index('vehicles_search_ids_idx').using('gin', t.searchIds.op('gin_trgm_ops')),
    check('vehicles_mileage_check', sql`${t.mileage} >= 0`),
    check('vehicles_year_check', sql`${t.year} >= 1886`),
    check('vehicles_odometer_unit_check', sql`${t.odometerUnit} in ('km', 'mi')`),
    check('vehicles_vin_check', sql`${t.vin} ~ '^[A-HJ-NPR-Z0-9]{17}$'`),
  ],
)

/** A vehicle as the app reads it: the generated search columns are for the database's own use. */
export type VehicleRow = Omit<typeof vehicles.$inferSelect, 'searchText' | 'searchIds'>

/** The columns of a {@link VehicleRow}, for selects (the search columns would only add bytes to every read). */
export const vehicleColumns = {
  id: vehicles.id,
  ownerId: vehicles.ownerId,
  make: vehicles.make,
  model: vehicles.model,
  year: vehicles.year,
  vin: vehicles.vin,
  licensePlate: vehicles.licensePlate,
  mileage: vehicles.mileage,
  odometerUnit: vehicles.odometerUnit,
  color: vehicles.color,
  createdAt: vehicles.createdAt,
  updatedAt: vehicles.updatedAt,
}
