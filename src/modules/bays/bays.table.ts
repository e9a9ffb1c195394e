import { sql } from 'drizzle-orm'
import { boolean, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core'

/** The shop's bays (lifts, alignment rack, MOT bay): what an appointment holds for its time range. */
export const bays = pgTable(
  'bays',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    name: text('name').notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  // Unique ignoring case: "Bay 1" and "bay 1" are one bay to the people booking them.
  (t) => [uniqueIndex('bays_name_key').on(sql`lower(${t.name})`)],
)

/** One bay. */
export type BayRow = typeof bays.$inferSelect
