import { index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core'

/**
 * The first answer of each `Idempotency-Key` (src/platform/http/idempotency.ts): one row per user,
 * route and key, written in the transaction of the write it answers, so a key is claimed exactly
 * when its write commits. No foreign key to users: platform tables never name a module's.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    userId: integer('user_id').notNull(),
    route: text('route').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    status: integer('status').notNull(),
    body: jsonb('body'),
    location: text('location'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'idempotency_keys_pkey', columns: [t.userId, t.route, t.key] }),
    // The sweep (idempotency-sweep.ts) reads the oldest first.
    index('idempotency_keys_created_idx').on(t.createdAt),
  ],
)

/** One stored answer. */
export type IdempotencyKeyRow = typeof idempotencyKeys.$inferSelect
