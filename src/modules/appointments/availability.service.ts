import type { Actor } from '../../platform/auth/principal.ts'
import type { ModuleCache } from '../../platform/cache/module-cache.ts'
import type { Db } from '../../platform/db/database.ts'
import { invalidInput } from '../../platform/http/errors.ts'
import { baysTag } from '../bays/index.ts'
import { shopTag, type ShopService } from '../shop/index.ts'
import { activeBayIds } from './appointment-writes.ts'
import { APPOINTMENT_NAMESPACES, appointmentDayTag } from './appointments.cache.ts'
import { activeMechanicIds, holdingsBetween } from './appointments.repository.ts'
import type { Availability, AvailabilityInput } from './appointments.schemas.ts'
import { daySlots, isCalendarDate, nextDate, shopDateOf, zonedToUtc } from './booking-rules.ts'

/** How far from today a date may be asked (bounds what the shared day entries can number). */
const MAX_DAYS_FROM_TODAY = 366

/** One shop date's occupancy as cached: the active bays, and each holding as [bayId, mechanicId, startMs, endMs]. */
interface DayOccupancy {
  bayIds: number[]
  holds: [number, number | null, number, number][]
}

/**
 * GET /api/availability: the day's slots from the shop's hours, the free bays of each from the same
 * rule as the exclusion constraint (active bays minus those held by an overlapping bay-holding
 * appointment). The occupancy is data-cached per shop date; free mechanics are read per request
 * (staff only), since a new mechanic account touches no tag.
 */
export function createAvailabilityService(deps: { db: Db; cache: ModuleCache; shop: ShopService; ttlMs: number; now?: () => Date }) {
  const now = deps.now ?? (() => new Date())
  return {
    /** The slots of a date; staff also get the free bay and mechanic ids. */
    async day(actor: Actor, query: AvailabilityInput): Promise<{ availability: Availability; cacheStatus: string }> {
      const shop = await deps.shop.row()
      const problems: { field: string; message: string }[] = []
      const today = shopDateOf(now(), shop.timezone)
      const distance = Math.abs(Date.parse(`${query.date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000
      if (!isCalendarDate(query.date) || distance > MAX_DAYS_FROM_TODAY) problems.push({ field: 'querystring.date', message: `must be a calendar date within ${MAX_DAYS_FROM_TODAY} days of today` })
      const duration = query.durationMinutes ?? shop.slotMinutes
      if (duration % shop.slotMinutes !== 0) problems.push({ field: 'querystring.durationMinutes', message: `must be a whole number of ${shop.slotMinutes}-minute slots` })
      if (problems.length > 0) throw invalidInput('The request is invalid; see errors.', problems)

      const dayStart = zonedToUtc(query.date, 0, shop.timezone)
      const dayEnd = zonedToUtc(nextDate(query.date), 0, shop.timezone)
      const { value: day, status } = await deps.cache.getOrSet<DayOccupancy>(
        `${APPOINTMENT_NAMESPACES.day}_${query.date}`,
        async () => ({
          bayIds: await activeBayIds(deps.db),
          holds: (await holdingsBetween(deps.db, dayStart, dayEnd)).map((h) => [h.bayId, h.mechanicId, h.startsAt.getTime(), h.endsAt.getTime()]),
        }),
        { namespace: APPOINTMENT_NAMESPACES.day, ttlMs: deps.ttlMs, tags: [appointmentDayTag(query.date), baysTag(), shopTag()] },
      )
      const staff = actor.role !== 'customer'
      const mechanics = staff ? await activeMechanicIds(deps.db) : []
      const slots = daySlots(query.date, shop, duration).map(({ startsAt, endsAt }) => {
        const overlapping = day.holds.filter(([, , start, end]) => start < endsAt.getTime() && end > startsAt.getTime())
        const busyBays = new Set(overlapping.map(([bay]) => bay))
        const busyMechanics = new Set(overlapping.map(([, mechanic]) => mechanic))
        const bayIds = day.bayIds.filter((id) => !busyBays.has(id))
        return {
          startsAt: startsAt.toISOString(),
          endsAt: endsAt.toISOString(),
          freeBays: bayIds.length,
          ...(staff ? { bayIds, mechanicIds: mechanics.filter((id) => !busyMechanics.has(id)) } : {}),
        }
      })
      return { availability: { date: query.date, timezone: shop.timezone, slots }, cacheStatus: status }
    },
  }
}
