import { sql } from 'drizzle-orm'
import { boolean, check, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core'
import { ROLES } from '../../platform/auth/roles.ts'
import { compactSql, searchTextSql } from '../../platform/db/text-search.ts'

/** Accounts: customers and staff alike. Emails are stored lower-case. */
export const users = pgTable(
  'users',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    email: text('email').notNull(),
    passwordHash: text('password_hash').notNull(),
    name: text('name').notNull(),
    phone: text('phone'),
    role: text('role', { enum: ROLES }).notNull(),
    active: boolean('active').notNull().default(true),
    /** Staff's notes on a customer (api-garage.md's PATCH /api/customers/:id). */
    notes: text('notes'),
    /** Whether service reminders may be mailed to this customer. */
    remindersConsent: boolean('reminders_consent').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    // Maintained by PostgreSQL for `?q=` (src/platform/db/text-search.ts); never written by the app.
    searchText: text('search_text')
      .notNull()
      .generatedAlwaysAs(searchTextSql('name', 'email', 'phone')),
    searchPhone: text('search_phone')
      .notNull()
      .generatedAlwaysAs(compactSql('phone')),
  },
  (t) => [
    uniqueIndex('users_email_key').on(t.email),
    index('users_role_idx').on(t.role, t.id),
    index('users_search_text_idx').using('gin', t.searchText.op('gin_trgm_ops')),
    index('users_search_phone_idx').using('gin', t.searchPhone.op('gin_trgm_ops')),
    check('users_role_check', sql`${t.role} in ('admin', 'advisor', 'mechanic', 'customer')`),
    check('users_email_lower_check', sql`${t.email} = lower(${t.email})`),
  ],
)

export type UserRow = typeof users.$inferSelect
