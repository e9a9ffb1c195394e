import { bigint, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core'

/**
 * The audit log: one append-only row per change of a work order, job, line, decision, appointment,
 * odometer correction or the shop's settings, written in the same transaction as the change (so a
 * rolled-back write leaves no row, and no committed write lacks one). Nothing updates or deletes it.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    /** Null for the system (a flow with no signed-in actor, a share-link decision records the name in changes). */
    actorId: integer('actor_id'),
    action: text('action').notNull(),
    entity: text('entity').notNull(),
    entityId: integer('entity_id').notNull(),
    /** `{ field: [old, new] }`; a creation has `[null, value]` pairs. */
    changes: jsonb('changes').$type<Record<string, [unknown, unknown]>>().notNull(),
  },
  (t) => [index('audit_log_entity_idx').on(t.entity, t.entityId, t.id)],
)

/** One row of the audit log. */
export type AuditRow = typeof auditLog.$inferSelect
