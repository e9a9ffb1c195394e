import { sql } from 'drizzle-orm'
import { check, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core'

/** Where a message is: waiting to be sent, sent, given up on, or only recorded (no SMTP_URL). */
export const MESSAGE_STATUSES = ['queued', 'sent', 'failed', 'recorded'] as const
export type MessageStatus = (typeof MESSAGE_STATUSES)[number]

/**
 * The mail outbox: one row per message, written in the transaction of the change that causes it
 * (a rollback sends nothing), sent afterwards by the outbox worker of any instance.
 */
export const messages = pgTable(
  'messages',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    /** invitation, password_reset, … (later: estimate_link, appointment_confirmation, reminder, invoice). */
    kind: text('kind').notNull(),
    recipient: text('recipient').notNull(),
    subject: text('subject').notNull(),
    textBody: text('text_body').notNull(),
    htmlBody: text('html_body'),
    status: text('status', { enum: MESSAGE_STATUSES }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    /** When a queued message is next due; a claim moves it by the lease, so no other instance takes it meanwhile. */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    lastError: text('last_error'),
    /** The entity the message is about, e.g. `user` 12. */
    relatedType: text('related_type'),
    relatedId: integer('related_id'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    // The worker's query: only queued rows are ever due, so the index stays small.
    index('messages_due_idx').on(t.nextAttemptAt).where(sql`${t.status} = 'queued'`),
    index('messages_recipient_idx').on(t.recipient, t.id),
    index('messages_status_idx').on(t.status, t.id),
    check('messages_status_check', sql`${t.status} in ('queued', 'sent', 'failed', 'recorded')`),
  ],
)
export type MessageRow = typeof messages.$inferSelect
