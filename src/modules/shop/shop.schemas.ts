import { Type, type Static } from 'typebox'
import type { OpeningHours, ShopRow } from './shop.table.ts'

const Time = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$', description: 'HH:MM in the shop\'s timezone' })
const Interval = Type.Object({ opens: Time, closes: Time }, { additionalProperties: false })
const Day = Type.Array(Interval, { maxItems: 4, description: 'Opening intervals of the day, in order, not overlapping; [] = closed' })
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const

/** The week's opening hours. */
export const OpeningHoursSchema = Type.Object(Object.fromEntries(DAYS.map((day) => [day, Day])) as Record<(typeof DAYS)[number], typeof Day>, {
  additionalProperties: false,
  title: 'OpeningHours',
})

const Bp = Type.Integer({ minimum: 0, maximum: 10_000, description: 'Basis points: 2000 = 20 %' })

/** The shop as GET /api/shop shows it. */
export const ShopSchema = Type.Object(
  {
    name: Type.String(),
    timezone: Type.String({ description: 'IANA timezone, e.g. Europe/London: shop dates and opening hours are in it' }),
    currency: Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217; every amount is integer cents of it' }),
    labourRateCents: Type.Integer({ minimum: 0, description: "A labour line's default price per hour" }),
    taxRates: Type.Object({ labourBp: Bp, partsBp: Bp, feesBp: Bp }, { additionalProperties: false }),
    openingHours: OpeningHoursSchema,
    slotMinutes: Type.Integer({ minimum: 5, maximum: 240, description: 'Bookings start on slot boundaries and last whole slots' }),
    serviceIntervalMonths: Type.Integer({ minimum: 1, maximum: 60 }),
    serviceIntervalKm: Type.Integer({ minimum: 500, maximum: 100_000 }),
    odometerUnit: Type.Union([Type.Literal('km'), Type.Literal('mi')], { description: "New vehicles' default unit" }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { title: 'Shop', additionalProperties: false },
)
export type Shop = Static<typeof ShopSchema>

/** PATCH /api/shop: any of the settings; new rates apply to invoices issued afterwards only. */
export const UpdateShopBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    timezone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
    labourRateCents: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
    taxRates: Type.Optional(Type.Object({ labourBp: Type.Optional(Bp), partsBp: Type.Optional(Bp), feesBp: Type.Optional(Bp) }, { additionalProperties: false, minProperties: 1 })),
    openingHours: Type.Optional(OpeningHoursSchema),
    slotMinutes: Type.Optional(Type.Integer({ minimum: 5, maximum: 240 })),
    serviceIntervalMonths: Type.Optional(Type.Integer({ minimum: 1, maximum: 60 })),
    serviceIntervalKm: Type.Optional(Type.Integer({ minimum: 500, maximum: 100_000 })),
    odometerUnit: Type.Optional(Type.Union([Type.Literal('km'), Type.Literal('mi')])),
  },
  { additionalProperties: false, minProperties: 1 },
)
export type UpdateShopInput = Static<typeof UpdateShopBody>

/** The API object of the settings row. */
export function toShop(row: ShopRow): Shop {
  return {
    name: row.name,
    timezone: row.timezone,
    currency: row.currency,
    labourRateCents: row.labourRateCents,
    taxRates: { labourBp: row.labourTaxBp, partsBp: row.partsTaxBp, feesBp: row.feesTaxBp },
    openingHours: row.openingHours,
    slotMinutes: row.slotMinutes,
    serviceIntervalMonths: row.serviceIntervalMonths,
    serviceIntervalKm: row.serviceIntervalKm,
    odometerUnit: row.odometerUnit,
    updatedAt: row.updatedAt.toISOString(),
  }
}

/** The minutes after midnight of `HH:MM`. */
export const minutesOf = (time: string): number => Number(time.slice(0, 2)) * 60 + Number(time.slice(3))

/** Field errors of opening hours the schema cannot express: each interval opens before it closes, in order, without overlap. */
export function openingHoursProblems(hours: OpeningHours): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = []
  for (const [day, intervals] of Object.entries(hours)) {
    let last = -1
    intervals.forEach((interval, i) => {
      const opens = minutesOf(interval.opens)
      const closes = minutesOf(interval.closes)
      if (opens >= closes) problems.push({ field: `body.openingHours.${day}.${i}`, message: 'must open before it closes' })
      else if (opens < last) problems.push({ field: `body.openingHours.${day}.${i}`, message: 'overlaps or precedes the interval before it' })
      last = Math.max(last, closes)
    })
  }
  return problems
}

/** True for a timezone the runtime knows (IANA names). */
export function isKnownTimezone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone })
    return true
  } catch {
    return false
  }
}
