/*
 * The booking rules (api-garage.md "Appointments"), pure: shop dates and opening hours are in the
 * shop's timezone, instants in UTC. A booking is valid exactly when [startsAt, endsAt) is one of the
 * day's slots of its length (daySlots), the same list GET /api/availability shows.
 */
import type { FieldError } from '../../platform/http/errors.ts'
import type { OpeningHours } from '../shop/index.ts'
import { minutesOf } from '../shop/index.ts'

/** How far ahead a booking may start. */
export const MAX_DAYS_AHEAD = 90
const DAY_MS = 86_400_000
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const

/** The settings the rules read. */
export interface BookingShop {
  timezone: string
  openingHours: OpeningHours
  slotMinutes: number
}

/** One slot: [startsAt, endsAt). */
export interface Slot {
  startsAt: Date
  endsAt: Date
}

const formatters = new Map<string, Intl.DateTimeFormat>()
function formatter(timeZone: string): Intl.DateTimeFormat {
  let found = formatters.get(timeZone)
  if (!found) {
    found = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
    formatters.set(timeZone, found)
  }
  return found
}

/** The wall-clock fields of an instant in a timezone. */
function wallClock(instant: number, timeZone: string) {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(new Date(instant)).map((p) => [p.type, p.value]))
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour) % 24, minute: Number(parts.minute), second: Number(parts.second) }
}

/** How far the timezone's wall clock is ahead of UTC at an instant, in ms. */
function offsetMs(instant: number, timeZone: string): number {
  const w = wallClock(instant, timeZone)
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(instant / 1000) * 1000
}

/** The instant of `minutes` after midnight of a shop date (YYYY-MM-DD) in the timezone. */
export function zonedToUtc(date: string, minutes: number, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  const wall = Date.UTC(y, m - 1, d, 0, minutes)
  // Twice: the offset at the first guess may differ from the offset at the answer (a DST change).
  const first = wall - offsetMs(wall, timeZone)
  return new Date(wall - offsetMs(first, timeZone))
}

/** The shop date (YYYY-MM-DD) of an instant in the timezone. */
export function shopDateOf(instant: Date, timeZone: string): string {
  const w = wallClock(instant.getTime(), timeZone)
  return `${String(w.year).padStart(4, '0')}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`
}

/** The date after a shop date. */
export function nextDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10)
}

/** Whether a YYYY-MM-DD string is a real calendar date. */
export function isCalendarDate(date: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) && !Number.isNaN(Date.parse(`${date}T00:00:00Z`)) && new Date(`${date}T00:00:00Z`).toISOString().startsWith(date)
}

/** The shop dates [startsAt, endsAt) touches (one, unless it runs past midnight). */
export function shopDatesOf(startsAt: Date, endsAt: Date, timeZone: string): string[] {
  const first = shopDateOf(startsAt, timeZone)
  const last = shopDateOf(new Date(endsAt.getTime() - 1), timeZone)
  const dates = [first]
  for (let date = first; date < last && dates.length < 3; ) dates.push((date = nextDate(date)))
  return dates
}

/**
 * Every slot of `durationMinutes` on a shop date: in each opening interval, starting at opening time
 * and every slotMinutes after, while the slot ends by closing time.
 */
export function daySlots(date: string, shop: BookingShop, durationMinutes: number): Slot[] {
  const weekday = WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()]!
  const slots: Slot[] = []
  for (const { opens, closes } of shop.openingHours[weekday] ?? []) {
    const open = minutesOf(opens)
    const close = minutesOf(closes)
    for (let start = open; start + durationMinutes <= close; start += shop.slotMinutes) {
      slots.push({ startsAt: zonedToUtc(date, start, shop.timezone), endsAt: zonedToUtc(date, start + durationMinutes, shop.timezone) })
    }
  }
  return slots
}

/** Why a booking of [startsAt, endsAt) is refused with 400 (empty when it is valid). */
export function bookingProblems(startsAt: Date, endsAt: Date, now: Date, shop: BookingShop): FieldError[] {
  const minutes = (endsAt.getTime() - startsAt.getTime()) / 60_000
  if (!(minutes > 0)) return [{ field: 'body.endsAt', message: 'must be after startsAt' }]
  if (!Number.isInteger(minutes) || minutes % shop.slotMinutes !== 0) {
    return [{ field: 'body.endsAt', message: `must make the booking a whole number of ${shop.slotMinutes}-minute slots` }]
  }
  if (startsAt.getTime() <= now.getTime()) return [{ field: 'body.startsAt', message: 'must be in the future' }]
  if (startsAt.getTime() > now.getTime() + MAX_DAYS_AHEAD * DAY_MS) return [{ field: 'body.startsAt', message: `must be at most ${MAX_DAYS_AHEAD} days ahead` }]
  const date = shopDateOf(startsAt, shop.timezone)
  const slots = daySlots(date, shop, minutes)
  if (slots.some((s) => s.startsAt.getTime() === startsAt.getTime() && s.endsAt.getTime() === endsAt.getTime())) return []
  const starts = daySlots(date, shop, shop.slotMinutes).some((s) => s.startsAt.getTime() === startsAt.getTime())
  return starts
    ? [{ field: 'body.endsAt', message: 'must end by closing time of the same opening interval' }]
    : [{ field: 'body.startsAt', message: `must start on a ${shop.slotMinutes}-minute slot boundary inside the opening hours (${shop.timezone})` }]
}
