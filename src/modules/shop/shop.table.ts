import { sql } from 'drizzle-orm'
import { check, integer, jsonb, pgTable, smallint, text, timestamp } from 'drizzle-orm/pg-core'

/** Opening hours by day: each day a list of `{ opens, closes }` (`HH:MM`, the shop's timezone); `[]` is closed. */
export type OpeningHours = Record<'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun', { opens: string; closes: string }[]>

/**
 * The shop's settings: one row (id 1), created by the migration with sensible defaults so the shop
 * answers from the first start. Rates are in cents and basis points (2000 = 20 %).
 */
export const shopSettings = pgTable(
  'shop_settings',
  {
    id: smallint('id').primaryKey().default(1),
    name: text('name').notNull(),
    timezone: text('timezone').notNull(),
    currency: text('currency').notNull(),
    labourRateCents: integer('labour_rate_cents').notNull(),
    labourTaxBp: integer('labour_tax_bp').notNull(),
    partsTaxBp: integer('parts_tax_bp').notNull(),
    feesTaxBp: integer('fees_tax_bp').notNull(),
    openingHours: jsonb('opening_hours').$type<OpeningHours>().notNull(),
    slotMinutes: integer('slot_minutes').notNull(),
    serviceIntervalMonths: integer('service_interval_months').notNull(),
    serviceIntervalKm: integer('service_interval_km').notNull(),
    odometerUnit: text('odometer_unit').$type<'km' | 'mi'>().notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    check('shop_settings_single_row', sql`${t.id} = 1`),
    check('shop_settings_currency_check', sql`${t.currency} ~ '^[A-Z]{3}$'`),
    check('shop_settings_rates_check', sql`${t.labourRateCents} >= 0 and ${t.labourTaxBp} >= 0 and ${t.partsTaxBp} >= 0 and ${t.feesTaxBp} >= 0`),
    check('shop_settings_slot_check', sql`${t.slotMinutes} between 5 and 240`),
    check('shop_settings_unit_check', sql`${t.odometerUnit} in ('km', 'mi')`),
  ],
)

/** The settings row. */
export type ShopRow = typeof shopSettings.$inferSelect
