import { boolean, check, pgTable, text, timestamp } from 'drizzle-orm/pg-core'
import { sql } from 'drizzle-orm'

/**
 * The deployment's cache identity, one row: an id that goes into every Redis key and bus channel
 * (two deployments on one Redis and one CACHE_PREFIX never meet), and the secret that authenticates
 * what the cache reads back from Redis when CACHE_SECRET is not set. It lives in the database because
 * whoever can write Redis must not be able to read it. See docs/decisions/006-cache-trust.md.
 */
export const cacheIdentity = pgTable(
  'cache_identity',
  {
    // Always true: the primary key makes the table hold at most one row.
    singleton: boolean('singleton').primaryKey().default(true),
    deploymentId: text('deployment_id').notNull(),
    secret: text('secret').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [check('cache_identity_singleton', sql`${t.singleton}`)],
)
