import { bigint, index, integer, pgTable, text } from 'drizzle-orm/pg-core'

/**
 * Rate-limit counters, one row per rule and id, in PostgreSQL: unlike Redis under `allkeys-lru`
 * nothing evicts them, and one upsert counts concurrent attempts of every instance exactly.
 * Times are epoch milliseconds from the application clock.
 */
export const rateLimitCounters = pgTable(
  'rate_limit_counters',
  {
    /** `<rule>:<hashed id>`; no personal data. */
    key: text('key').primaryKey(),
    count: integer('count').notNull(),
    /** When the window ends; the row is dead (and cleaned up) after it. */
    resetAt: bigint('reset_at', { mode: 'number' }).notNull(),
    /** Back-off rules only: before this instant an attempt over the limit is refused. */
    nextAt: bigint('next_at', { mode: 'number' }).notNull().default(0),
    /** Back-off rules only: a random mark of the last admitted attempt, so the upsert can say who got in. */
    ticket: text('ticket').notNull().default(''),
  },
  (t) => [index('rate_limit_counters_reset_idx').on(t.resetAt)],
)
