import { sql } from 'drizzle-orm'
import { check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core'
import { bays } from '../bays/bays.table.ts'
import { services } from '../services/services.table.ts'
import { users } from '../users/users.table.ts'
import { vehicles } from '../vehicles/vehicles.table.ts'

const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
}

/**
 * Work orders (repair orders): one visit of one vehicle. `number` is WO-<id, 6 digits or more>, generated
 * by PostgreSQL from the id, so it is unique without a counter row (gaps are allowed: an aborted insert
 * burns an id). `customerId` is the vehicle's owner when the order was opened and stays so.
 */
export const workOrders = pgTable(
  'work_orders',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    number: text('number')
      .notNull()
      .generatedAlwaysAs(sql`'WO-' || lpad(id::text, greatest(6, length(id::text)), '0')`),
    status: text('status').notNull().default('draft'),
    label: text('label'),
    customerId: integer('customer_id')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    vehicleId: integer('vehicle_id')
      .notNull()
      .references(() => vehicles.id, { onDelete: 'restrict' }),
    // The appointments table arrives with its module; the check-in flow sets this.
    appointmentId: integer('appointment_id'),
    advisorId: integer('advisor_id').references(() => users.id, { onDelete: 'restrict' }),
    mechanicId: integer('mechanic_id').references(() => users.id, { onDelete: 'restrict' }),
    bayId: integer('bay_id').references(() => bays.id, { onDelete: 'restrict' }),
    odometerIn: integer('odometer_in').notNull(),
    odometerOut: integer('odometer_out'),
    promisedAt: timestamp('promised_at', { withTimezone: true, mode: 'date' }),
    // When the order last became completed (kept once invoiced; cleared by a reopen or a void): the
    // vehicle's history and the dashboard's day read it, not the audit log.
    completedAt: timestamp('completed_at', { withTimezone: true, mode: 'date' }),
    concerns: text('concerns').array().notNull().default(sql`'{}'::text[]`),
    notes: text('notes'),
    // The invoices table arrives with its module.
    invoiceId: integer('invoice_id'),
    voidReason: text('void_reason'),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('work_orders_number_key').on(t.number),
    index('work_orders_customer_idx').on(t.customerId, t.id),
    index('work_orders_mechanic_idx').on(t.mechanicId, t.id),
    index('work_orders_vehicle_idx').on(t.vehicleId, t.id),
    index('work_orders_status_idx').on(t.status, t.id),
    check(
      'work_orders_status_check',
      sql`${t.status} in ('draft', 'awaiting_approval', 'approved', 'in_progress', 'completed', 'invoiced', 'declined', 'void')`,
    ),
    check('work_orders_odometer_check', sql`${t.odometerIn} >= 0 and (${t.odometerOut} is null or ${t.odometerOut} >= 0)`),
    check('work_orders_void_reason_check', sql`(${t.status} = 'void') = (${t.voidReason} is not null)`),
    check('work_orders_completed_at_check', sql`(${t.status} in ('completed', 'invoiced')) = (${t.completedAt} is not null)`),
  ],
)

/** A job (complaint, cause, correction) of a work order: what the customer approves or declines. */
export const workOrderJobs = pgTable(
  'work_order_jobs',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    workOrderId: integer('work_order_id')
      .notNull()
      .references(() => workOrders.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    serviceId: integer('service_id').references(() => services.id, { onDelete: 'restrict' }),
    concern: text('concern'),
    cause: text('cause'),
    correction: text('correction'),
    status: text('status').notNull().default('proposed'),
    completedAt: timestamp('completed_at', { withTimezone: true, mode: 'date' }),
    position: integer('position').notNull(),
    ...timestamps,
  },
  (t) => [
    index('work_order_jobs_order_idx').on(t.workOrderId, t.position),
    check('work_order_jobs_status_check', sql`${t.status} in ('proposed', 'approved', 'declined')`),
    // Only approved work gets done.
    check('work_order_jobs_completed_check', sql`${t.completedAt} is null or ${t.status} = 'approved'`),
  ],
)

/**
 * A line of a job: labour, a part or a fee. Quantities are exact hundredths (1.5 h = 150); money is
 * integer cents, never negative (0 ≤ discount ≤ amount is the service's check, through src/kernel/money.ts).
 */
export const workOrderLines = pgTable(
  'work_order_lines',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    jobId: integer('job_id')
      .notNull()
      .references(() => workOrderJobs.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    description: text('description').notNull(),
    quantityHundredths: integer('quantity_hundredths').notNull(),
    unitPriceCents: integer('unit_price_cents').notNull(),
    discountCents: integer('discount_cents').notNull().default(0),
    // The parts table arrives with its module.
    partId: integer('part_id'),
    reservedHundredths: integer('reserved_hundredths').notNull().default(0),
    backorderedHundredths: integer('backordered_hundredths').notNull().default(0),
    position: integer('position').notNull(),
    ...timestamps,
  },
  (t) => [
    index('work_order_lines_job_idx').on(t.jobId, t.position),
    check('work_order_lines_kind_check', sql`${t.kind} in ('labour', 'part', 'fee')`),
    check('work_order_lines_quantity_check', sql`${t.quantityHundredths} > 0`),
    check('work_order_lines_money_check', sql`${t.unitPriceCents} >= 0 and ${t.discountCents} >= 0`),
    check('work_order_lines_stock_check', sql`${t.reservedHundredths} >= 0 and ${t.backorderedHundredths} >= 0`),
  ],
)

/** A mechanic's clocked time on a job; at most one open entry (no stop yet) per mechanic, by the partial unique index. */
export const workOrderTimeEntries = pgTable(
  'work_order_time_entries',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    jobId: integer('job_id')
      .notNull()
      .references(() => workOrderJobs.id, { onDelete: 'cascade' }),
    mechanicId: integer('mechanic_id')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    stoppedAt: timestamp('stopped_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    uniqueIndex('work_order_time_entries_one_open_key').on(t.mechanicId).where(sql`${t.stoppedAt} is null`),
    index('work_order_time_entries_job_idx').on(t.jobId, t.id),
    check('work_order_time_entries_order_check', sql`${t.stoppedAt} is null or ${t.stoppedAt} >= ${t.startedAt}`),
  ],
)

/** One inspection item as stored: the multipoint check's name, result and note. */
export interface InspectionItem {
  name: string
  result: 'ok' | 'attention' | 'urgent'
  note?: string
}

/** A work order's multipoint inspection: the whole checklist, replaced by each PUT. */
export const workOrderInspections = pgTable('work_order_inspections', {
  workOrderId: integer('work_order_id')
    .primaryKey()
    .references(() => workOrders.id, { onDelete: 'cascade' }),
  items: jsonb('items').$type<InspectionItem[]>().notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  updatedBy: integer('updated_by').references(() => users.id, { onDelete: 'restrict' }),
})

/** A work order as the app reads it. */
export type WorkOrderRow = typeof workOrders.$inferSelect
/** A job row. */
export type JobRow = typeof workOrderJobs.$inferSelect
/** A line row. */
export type LineRow = typeof workOrderLines.$inferSelect
/** A time entry row. */
export type TimeEntryRow = typeof workOrderTimeEntries.$inferSelect
/** An inspection row. */
export type InspectionRow = typeof workOrderInspections.$inferSelect
