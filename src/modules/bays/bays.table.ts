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
  (t) => [uniqueIndex('bays_name_key').on(t.name)],
)

/** One bay. */
export type BayRow = typeof bays.$inferSelect
