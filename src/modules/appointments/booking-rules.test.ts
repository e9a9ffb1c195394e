import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { bookingProblems, daySlots, shopDateOf, shopDatesOf, zonedToUtc, type BookingShop } from './booking-rules.ts'

const ZONES = ['UTC', 'Europe/London', 'America/New_York', 'Asia/Kolkata', 'Australia/Sydney', 'Pacific/Auckland']
const OPEN = [{ opens: '08:00', closes: '17:30' }]
const shopIn = (timezone: string): BookingShop => ({ timezone, slotMinutes: 30, openingHours: { mon: OPEN, tue: OPEN, wed: OPEN, thu: OPEN, fri: OPEN, sat: [{ opens: '08:30', closes: '12:30' }], sun: [] } })
const dateArb = fc.date({ min: new Date('2020-01-01'), max: new Date('2035-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10))

describe('booking rules', () => {
  it('zonedToUtc and shopDateOf round-trip every daytime minute in every zone', () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: 6 * 60, max: 22 * 60 }), fc.constantFrom(...ZONES), (date, minutes, zone) => {
        const instant = zonedToUtc(date, minutes, zone)
        expect(shopDateOf(instant, zone)).toBe(date)
        const local = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(instant)
        expect(local).toBe(`${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`)
      }),
    )
  })

  it('every slot of availability is a valid booking, and a minute off is not', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 80 }), fc.integer({ min: 1, max: 6 }), fc.constantFrom(...ZONES), (days, slots, zone) => {
        const now = new Date('2026-03-02T00:00:00Z')
        const date = new Date(now.getTime() + days * 86_400_000).toISOString().slice(0, 10)
        const shop = shopIn(zone)
        for (const slot of daySlots(date, shop, slots * 30)) {
          if (slot.startsAt <= now) continue
          expect(bookingProblems(slot.startsAt, slot.endsAt, now, shop)).toEqual([])
          expect(bookingProblems(new Date(slot.startsAt.getTime() + 60_000), new Date(slot.endsAt.getTime() + 60_000), now, shop)).not.toEqual([])
        }
      }),
    )
  })

  it.each([
    ['a weekday', '2026-03-02', 60, 18],
    ['a Saturday', '2026-03-07', 30, 8],
    ['a Sunday (closed)', '2026-03-08', 30, 0],
    ['longer than the day', '2026-03-02', 600, 0],
  ])('%s has the expected number of slots', (_name, date, minutes, count) => {
    expect(daySlots(date, shopIn('Europe/London'), minutes)).toHaveLength(count)
  })

  it('an appointment past midnight touches both shop dates', () => {
    expect(shopDatesOf(new Date('2026-03-02T23:00:00Z'), new Date('2026-03-03T01:00:00Z'), 'UTC')).toEqual(['2026-03-02', '2026-03-03'])
    expect(shopDatesOf(new Date('2026-03-02T10:00:00Z'), new Date('2026-03-03T00:00:00Z'), 'UTC')).toEqual(['2026-03-02'])
  })
})
