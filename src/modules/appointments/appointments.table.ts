import { sql } from 'drizzle-orm'
import { check, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core'
import { bays } from '../bays/index.ts'
import { users } from '../users/index.ts'
import { vehicles } from '../vehicles/index.ts'
import { APPOINTMENT_STATUSES, type AppointmentStatus } from './appointment.machine.ts'

/**
 * Booked visits. No double booking is enforced by PostgreSQL itself: the hand-written migration
 * adds two exclusion constraints (btree_gist), `appointments_bay_no_overlap` and
 * `appointments_mechanic_no_overlap`, over `tstzrange(starts_at, ends_at, '[)')` of the rows in a
 * bay-holding status (drizzle-kit cannot express them).
 */
export const appointments = pgTable(
  'appointments',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    customerId: integer('customer_id')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    vehicleId: integer('vehicle_id')
      .notNull()
      .references(() => vehicles.id, { onDelete: 'restrict' }),
    startsAt: timestamp('starts_at', { withTimezone: true, mode: 'date' }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true, mode: 'date' }).notNull(),
    status: text('status', { enum: APPOINTMENT_STATUSES }).$type<AppointmentStatus>().notNull(),
    bayId: integer('bay_id')
      .notNull()
      .references(() => bays.id, { onDelete: 'restrict' }),
    mechanicId: integer('mechanic_id').references(() => users.id, { onDelete: 'restrict' }),
    serviceIds: integer('service_ids').array().notNull().default(sql`'{}'::integer[]`),
    requestedWork: text('requested_work'),
    notes: text('notes'),
    // The work order opened at check-in; no foreign key yet (the work-orders module lands in parallel).
    workOrderId: integer('work_order_id'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    index('appointments_customer_idx').on(t.customerId, t.id),
    index('appointments_mechanic_idx').on(t.mechanicId, t.id),
    index('appointments_starts_idx').on(t.startsAt),
    check('appointments_range_check', sql`${t.startsAt} < ${t.endsAt}`),
    check('appointments_status_check', sql`${t.status} in ('requested', 'confirmed', 'checked_in', 'cancelled', 'no_show')`),
  ],
)

/** One appointment row. */
export type AppointmentRow = typeof appointments.$inferSelect
