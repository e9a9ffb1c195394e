import { sql } from 'drizzle-orm'
import { check, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core'
import { users } from '../users/users.table.ts'
import { vehicles } from '../vehicles/vehicles.table.ts'

/** Where a reading came from. */
export const READING_SOURCES = ['check_in', 'check_out', 'customer', 'staff', 'correction'] as const
export type ReadingSource = (typeof READING_SOURCES)[number]

/**
 * Odometer readings of vehicles: the value as read, in the unit it was read in, and the same in km
 * (rounded) so readings in either unit compare. The vehicle's mileage is its latest reading by
 * recordedAt; readings go with their vehicle when it is deleted.
 */
export const odometerReadings = pgTable(
  'odometer_readings',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    vehicleId: integer('vehicle_id')
      .notNull()
      .references(() => vehicles.id, { onDelete: 'cascade' }),
    value: integer('value').notNull(),
    unit: text('unit').$type<'km' | 'mi'>().notNull(),
    valueKm: integer('value_km').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true, mode: 'date' }).notNull(),
    source: text('source').$type<ReadingSource>().notNull(),
    reason: text('reason'),
    recordedBy: integer('recorded_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    index('odometer_readings_vehicle_idx').on(t.vehicleId, t.recordedAt, t.id),
    check('odometer_readings_value_check', sql`${t.value} >= 0 and ${t.valueKm} >= 0`),
    check('odometer_readings_unit_check', sql`${t.unit} in ('km', 'mi')`),
    check('odometer_readings_source_check', sql`${t.source} in ('check_in', 'check_out', 'customer', 'staff', 'correction')`),
  ],
)

/** A reading as stored. */
export type ReadingRow = typeof odometerReadings.$inferSelect
