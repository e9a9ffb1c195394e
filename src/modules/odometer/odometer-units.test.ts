import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { convertDistance, toKm } from './odometer-units.ts'

const distance = fc.integer({ min: 0, max: 2_000_000 })

describe('odometer units', () => {
  it.each([
    [0, 'mi', 'km', 0],
    [1, 'mi', 'km', 2],
    [100, 'mi', 'km', 161],
    [1000, 'mi', 'km', 1609],
    [5, 'km', 'mi', 3],
    [1, 'km', 'mi', 1],
    [161, 'km', 'mi', 100],
    [2_000_000, 'mi', 'km', 3_218_688],
    [42_000, 'km', 'km', 42_000],
    [42_000, 'mi', 'mi', 42_000],
  ] as const)('%i %s is %i %s', (value, from, to, expected) => {
    expect(convertDistance(value, from, to)).toBe(expected)
  })

  it('rounds an exact half away from zero', () => {
    // 12 573 km = 7 812.5 mi exactly (miles to km never land on a half: 1.609344 = 25146/15625).
    expect(convertDistance(12_573, 'km', 'mi')).toBe(7_813)
    expect(convertDistance(12_572, 'km', 'mi')).toBe(7_812)
  })

  it('matches the decimal definition, rounded (property)', () => {
    fc.assert(
      fc.property(distance, (mi) => {
        const exact = (mi * 1_609_344) / 1_000_000
        expect(Math.abs(convertDistance(mi, 'mi', 'km') - exact)).toBeLessThanOrEqual(0.5)
        expect(Math.abs(convertDistance(mi, 'km', 'mi') - mi / 1.609344)).toBeLessThanOrEqual(0.5 + 1e-9)
      }),
    )
  })

  it('never reverses the order of two readings (property)', () => {
    fc.assert(
      fc.property(distance, distance, fc.constantFrom('km' as const, 'mi' as const), (a, b, unit) => {
        if (a <= b) expect(toKm(a, unit)).toBeLessThanOrEqual(toKm(b, unit))
        // Distinct miles stay distinct in km (a mile is more than a km).
        if (unit === 'mi' && a < b) expect(toKm(a, unit)).toBeLessThan(toKm(b, unit))
      }),
    )
  })

  it('comes back within one unit after a round trip (property)', () => {
    fc.assert(
      fc.property(distance, (value) => {
        expect(convertDistance(convertDistance(value, 'mi', 'km'), 'km', 'mi')).toBe(value)
        expect(Math.abs(convertDistance(convertDistance(value, 'km', 'mi'), 'mi', 'km') - value)).toBeLessThanOrEqual(1)
      }),
    )
  })
})
