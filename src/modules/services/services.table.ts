import { sql } from 'drizzle-orm'
import { boolean, check, integer, jsonb, numeric, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core'

/** A part a canned job uses, by the part's id (parts arrive with the parts issue) and quantity. */
export interface ServicePart {
  partId: number
  quantity: number
}

/**
 * The service catalogue ("canned jobs"): oil change, brake pads, inspection… A job created from a
 * service expands into its labour and part lines; its intervals drive the reminders.
 */
export const services = pgTable(
  'services',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    /** Hours with at most two decimals, kept exact. */
    labourHours: numeric('labour_hours', { precision: 7, scale: 2, mode: 'number' }).notNull(),
    parts: jsonb('parts').$type<ServicePart[]>().notNull().default([]),
    intervalMonths: integer('interval_months'),
    intervalKm: integer('interval_km'),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('services_code_key').on(t.code),
    check('services_labour_hours_check', sql`${t.labourHours} > 0`),
    check('services_intervals_check', sql`(${t.intervalMonths} is null or ${t.intervalMonths} > 0) and (${t.intervalKm} is null or ${t.intervalKm} > 0)`),
  ],
)

/** One service of the catalogue. */
export type ServiceRow = typeof services.$inferSelect
