import { sql } from 'drizzle-orm'
import { check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core'
import type { EstimateContent } from '../../kernel/estimate-hash.ts'
import { users } from '../users/users.table.ts'
import { workOrderJobs, workOrders } from './work-orders.table.ts'

/**
 * An estimate as sent: version n of an order, the canonical content the customer was shown and its hash.
 * The share link's token is stored only as its SHA-256 (as session tokens), with its expiry.
 */
export const workOrderEstimates = pgTable(
  'work_order_estimates',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    workOrderId: integer('work_order_id')
      .notNull()
      .references(() => workOrders.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    hash: text('hash').notNull(),
    content: jsonb('content').$type<EstimateContent>().notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    sentBy: integer('sent_by').references(() => users.id, { onDelete: 'restrict' }),
    shareTokenHash: text('share_token_hash').notNull(),
    shareExpiresAt: timestamp('share_expires_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    uniqueIndex('work_order_estimates_version_key').on(t.workOrderId, t.version),
    uniqueIndex('work_order_estimates_share_token_key').on(t.shareTokenHash),
    check('work_order_estimates_version_check', sql`${t.version} >= 1`),
  ],
)

/** A customer's decision on one job: append-only, each job decided once (the unique index settles a race). */
export const workOrderDecisions = pgTable(
  'work_order_decisions',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    workOrderId: integer('work_order_id')
      .notNull()
      .references(() => workOrders.id, { onDelete: 'cascade' }),
    jobId: integer('job_id')
      .notNull()
      .references(() => workOrderJobs.id, { onDelete: 'cascade' }),
    decision: text('decision').notNull(),
    method: text('method').notNull(),
    byUserId: integer('by_user_id').references(() => users.id, { onDelete: 'restrict' }),
    byName: text('by_name').notNull(),
    estimateVersion: integer('estimate_version').notNull(),
    estimateHash: text('estimate_hash').notNull(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('work_order_decisions_job_key').on(t.jobId),
    index('work_order_decisions_order_idx').on(t.workOrderId, t.id),
    check('work_order_decisions_decision_check', sql`${t.decision} in ('approved', 'declined')`),
    check('work_order_decisions_method_check', sql`${t.method} in ('portal', 'share_link', 'phone', 'in_person')`),
  ],
)

/** An estimate row. */
export type EstimateRow = typeof workOrderEstimates.$inferSelect
/** A decision row. */
export type DecisionRow = typeof workOrderDecisions.$inferSelect
