import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  lineAmounts,
  MAX_QUANTITY_HUNDREDTHS,
  MoneyError,
  netOf,
  quantityToHundredths,
  roundHalfAwayFromZero,
  taxBreakdown,
  totals,
  type LineInput,
  type LineKind,
  type TaxRates,
} from './money.ts'

// Reference formulas written differently from the code: half away from zero on magnitudes is
// floor((2|n| + |d|) / 2|d|), and BigInt division of non-negatives is floor.
const abs = (x: bigint) => (x < 0n ? -x : x)
const refRound = (n: bigint, d: bigint) => {
  const magnitude = (2n * abs(n) + abs(d)) / (2n * abs(d))
  return n < 0n !== d < 0n ? -magnitude : magnitude
}
const refAmount = (hundredths: number, price: number) => Number((2n * BigInt(hundredths) * BigInt(price) + 100n) / 200n)
const refTax = (base: number, bp: number) => Number((2n * BigInt(base) * BigInt(bp) + 10_000n) / 20_000n)

const codeOf = (fn: () => unknown) => {
  try {
    fn()
  } catch (error) {
    if (error instanceof MoneyError) return `${error.code} ${error.field}`
    throw error
  }
  return 'no error'
}

const kindArb = fc.constantFrom<LineKind>('labour', 'part', 'fee')
const lineArb: fc.Arbitrary<LineInput> = fc
  .record({ kind: kindArb, hundredths: fc.integer({ min: 1, max: 100_000 }), price: fc.integer({ min: 0, max: 5_000_000 }), share: fc.integer({ min: 0, max: 1000 }) })
  .map(({ kind, hundredths, price, share }) => ({
    kind,
    quantity: hundredths / 100,
    unitPriceCents: price,
    discountCents: Math.floor((refAmount(hundredths, price) * share) / 1000),
  }))
const ratesArb: fc.Arbitrary<TaxRates> = fc.record({ labourBp: fc.integer({ min: 0, max: 10_000 }), partsBp: fc.integer({ min: 0, max: 10_000 }), feesBp: fc.integer({ min: 0, max: 10_000 }) })
const RATES: TaxRates = { labourBp: 2000, partsBp: 2000, feesBp: 550 }

describe('roundHalfAwayFromZero', () => {
  it.each([
    [5n, 2n, 3n],
    [-5n, 2n, -3n],
    [3n, 2n, 2n],
    [-3n, 2n, -2n],
    [1n, 3n, 0n],
    [2n, 3n, 1n],
    [-1n, 3n, 0n],
    [-2n, 3n, -1n],
    [229_885n, 100n, 2299n],
    [229_849n, 100n, 2298n],
    [7n, -2n, -4n],
    [-7n, -2n, 4n],
    [0n, 7n, 0n],
    [10n ** 30n + 5n, 10n, 10n ** 29n + 1n],
  ])('%s / %s → %s', (n, d, expected) => {
    expect(roundHalfAwayFromZero(n, d)).toBe(expected)
  })

  it('refuses a zero denominator', () => {
    expect(() => roundHalfAwayFromZero(1n, 0n)).toThrow(RangeError)
  })

  const nonZero = fc.bigInt().filter((d) => d !== 0n)

  it('matches the reference formula', () => {
    fc.assert(fc.property(fc.bigInt(), nonZero, (n, d) => roundHalfAwayFromZero(n, d) === refRound(n, d)))
  })

  it('is symmetric: negating the numerator or the denominator negates the result', () => {
    fc.assert(
      fc.property(fc.bigInt(), nonZero, (n, d) => {
        const r = roundHalfAwayFromZero(n, d)
        return roundHalfAwayFromZero(-n, d) === -r && roundHalfAwayFromZero(n, -d) === -r
      }),
    )
  })

  it('is within half a unit, and a tie goes away from zero', () => {
    fc.assert(
      fc.property(fc.bigInt(), nonZero, (n, d) => {
        const r = roundHalfAwayFromZero(n, d)
        const error = 2n * abs(r * d - n)
        if (error > abs(d)) return false
        return error < abs(d) || abs(r * d) > abs(n)
      }),
    )
  })

  it('keeps exact quotients', () => {
    fc.assert(fc.property(fc.bigInt(), nonZero, (k, d) => roundHalfAwayFromZero(k * d, d) === k))
  })
})

describe('quantityToHundredths', () => {
  it.each([
    [1.15, 115],
    [1, 100],
    [0.01, 1],
    [2.5, 250],
    [0.3, 30],
    [123456.78, 12_345_678],
    [9_999_999_999_999.99, MAX_QUANTITY_HUNDREDTHS],
  ])('%s → %s hundredths', (quantity, expected) => {
    expect(quantityToHundredths(quantity)).toBe(expected)
  })

  it.each([
    [0.1 + 0.2, 'MONEY_INVALID_QUANTITY quantity'],
    [1.005, 'MONEY_INVALID_QUANTITY quantity'],
    [0.001, 'MONEY_INVALID_QUANTITY quantity'],
    [1e-7, 'MONEY_INVALID_QUANTITY quantity'],
    [1e21, 'MONEY_INVALID_QUANTITY quantity'],
    [10_000_000_000_000, 'MONEY_AMOUNT_TOO_LARGE quantity'],
    [0, 'MONEY_INVALID_QUANTITY quantity'],
    [-0, 'MONEY_INVALID_QUANTITY quantity'],
    [-1, 'MONEY_INVALID_QUANTITY quantity'],
    [Number.NaN, 'MONEY_INVALID_QUANTITY quantity'],
    [Number.POSITIVE_INFINITY, 'MONEY_INVALID_QUANTITY quantity'],
    ['1' as unknown as number, 'MONEY_INVALID_QUANTITY quantity'],
  ])('refuses %s', (quantity, expected) => {
    expect(codeOf(() => quantityToHundredths(quantity))).toBe(expected)
  })

  it('reads back every 2-decimal quantity up to the limit exactly', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: MAX_QUANTITY_HUNDREDTHS }), (h) => quantityToHundredths(h / 100) === h))
  })

  it('accepts a double exactly when it is the double of some count of hundredths', () => {
    const doubles = fc.oneof(fc.double({ min: Number.MIN_VALUE, max: 1e14, noNaN: true }), fc.integer({ min: 1, max: 10 ** 9 }).map((h) => h / 100))
    fc.assert(
      fc.property(doubles, (q) => {
        const h = Math.round(q * 100)
        const expected = h >= 1 && h <= MAX_QUANTITY_HUNDREDTHS && h / 100 === q ? h : undefined
        let actual: number | undefined
        try {
          actual = quantityToHundredths(q)
        } catch {
          actual = undefined
        }
        return actual === expected
      }),
    )
  })
})

describe('lineAmounts', () => {
  it.each([
    // quantity, unit price, discount → amount, net
    [1.15, 1999, 0, 2299, 2299], // 2298.85
    [1.15, 1990, 0, 2289, 2289], // 2288.5: a tie, away from zero
    [1, 1999, 0, 1999, 1999],
    [0.5, 3, 0, 2, 2], // 1.5
    [0.01, 49, 0, 0, 0],
    [0.01, 50, 0, 1, 1],
    [2.5, 8000, 1000, 20_000, 19_000],
    [3, 1250, 3750, 3750, 0],
    [0.3, 1000, 0, 300, 300],
    [1, Number.MAX_SAFE_INTEGER, 0, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  ])('%s × %s − %s → %s, %s', (quantity, unitPriceCents, discountCents, amountCents, netCents) => {
    expect(lineAmounts({ kind: 'labour', quantity, unitPriceCents, discountCents })).toEqual({ amountCents, netCents })
  })

  const base: LineInput = { kind: 'part', quantity: 2, unitPriceCents: 500, discountCents: 0 }
  it.each([
    [{ discountCents: 1001 }, 'MONEY_DISCOUNT_OUT_OF_RANGE discountCents'],
    [{ discountCents: -1 }, 'MONEY_INVALID_CENTS discountCents'],
    [{ discountCents: 0.5 }, 'MONEY_INVALID_CENTS discountCents'],
    [{ unitPriceCents: 12.5 }, 'MONEY_INVALID_CENTS unitPriceCents'],
    [{ unitPriceCents: -500 }, 'MONEY_INVALID_CENTS unitPriceCents'],
    [{ unitPriceCents: Number.MAX_SAFE_INTEGER + 1 }, 'MONEY_INVALID_CENTS unitPriceCents'],
    [{ quantity: 1.001 }, 'MONEY_INVALID_QUANTITY quantity'],
    [{ kind: 'tyre' as LineKind }, 'MONEY_INVALID_LINE_KIND kind'],
    [{ quantity: 1.01, unitPriceCents: Number.MAX_SAFE_INTEGER }, 'MONEY_AMOUNT_TOO_LARGE amountCents'],
  ])('refuses %o', (change, expected) => {
    expect(codeOf(() => lineAmounts({ ...base, ...change }))).toBe(expected)
  })

  it('gives the reference amount and net = amount − discount', () => {
    fc.assert(
      fc.property(lineArb, (line) => {
        const { amountCents, netCents } = lineAmounts(line)
        return amountCents === refAmount(Math.round(line.quantity * 100), line.unitPriceCents) && netCents === amountCents - line.discountCents
      }),
    )
  })

  it('multiplies whole quantities exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 0, max: 10 ** 11 }), (quantity, unitPriceCents) =>
        lineAmounts({ kind: 'fee', quantity, unitPriceCents, discountCents: 0 }).amountCents === quantity * unitPriceCents,
      ),
    )
  })

  it('refuses any discount above the amount', () => {
    fc.assert(
      fc.property(lineArb, fc.integer({ min: 1, max: 10 ** 6 }), (line, over) => {
        const { amountCents } = lineAmounts(line)
        return codeOf(() => lineAmounts({ ...line, discountCents: amountCents + over })) === 'MONEY_DISCOUNT_OUT_OF_RANGE discountCents'
      }),
    )
  })
})

describe('totals', () => {
  it('of no lines is all zero', () => {
    expect(totals([], RATES)).toEqual({ labourCents: 0, partsCents: 0, feesCents: 0, discountCents: 0, subtotalCents: 0, taxCents: 0, totalCents: 0 })
  })

  it('of a worked example', () => {
    const lines: LineInput[] = [
      { kind: 'labour', quantity: 1.5, unitPriceCents: 8000, discountCents: 0 }, // 12000
      { kind: 'labour', quantity: 0.25, unitPriceCents: 8000, discountCents: 500 }, // 2000 − 500
      { kind: 'part', quantity: 4, unitPriceCents: 1299, discountCents: 196 }, // 5196 − 196
      { kind: 'fee', quantity: 1, unitPriceCents: 350, discountCents: 0 },
    ]
    // Tax: labour 13500 × 20 % = 2700; parts 5000 × 20 % = 1000; fees 350 × 5.5 % = 19.25 → 19.
    expect(totals(lines, RATES)).toEqual({ labourCents: 13_500, partsCents: 5000, feesCents: 350, discountCents: 696, subtotalCents: 18_850, taxCents: 3719, totalCents: 22_569 })
    expect(taxBreakdown(lines, RATES)).toEqual([
      { kind: 'labour', rateBp: 2000, baseCents: 13_500, taxCents: 2700 },
      { kind: 'parts', rateBp: 2000, baseCents: 5000, taxCents: 1000 },
      { kind: 'fees', rateBp: 550, baseCents: 350, taxCents: 19 },
    ])
  })

  it('rounds tax once per kind, on the kind’s whole net, never per line', () => {
    // Each line alone: 5 × 10 % = 0.5 → 1; together 10 × 10 % = 1.
    const line: LineInput = { kind: 'labour', quantity: 1, unitPriceCents: 5, discountCents: 0 }
    expect(totals([line, line], { labourBp: 1000, partsBp: 0, feesBp: 0 }).taxCents).toBe(1)
    expect(totals([line], { labourBp: 1000, partsBp: 0, feesBp: 0 }).taxCents).toBe(1)
  })

  it('names the failing line', () => {
    const good: LineInput = { kind: 'fee', quantity: 1, unitPriceCents: 100, discountCents: 0 }
    expect(codeOf(() => totals([good, { ...good, discountCents: 101 }], RATES))).toBe('MONEY_DISCOUNT_OUT_OF_RANGE lines[1].discountCents')
    expect(codeOf(() => totals([good], { ...RATES, feesBp: -1 }))).toBe('MONEY_INVALID_RATE feesBp')
    expect(codeOf(() => totals([good], { ...RATES, partsBp: 0.5 }))).toBe('MONEY_INVALID_RATE partsBp')
  })

  it('refuses sums beyond Number.MAX_SAFE_INTEGER', () => {
    const half: LineInput = { kind: 'part', quantity: 1, unitPriceCents: 2 ** 52, discountCents: 0 }
    expect(codeOf(() => totals([half, half], { labourBp: 0, partsBp: 0, feesBp: 0 }))).toBe('MONEY_AMOUNT_TOO_LARGE partsCents')
    const most: LineInput = { kind: 'fee', quantity: 1, unitPriceCents: Number.MAX_SAFE_INTEGER - 10, discountCents: 0 }
    expect(codeOf(() => totals([most], RATES))).toBe('MONEY_AMOUNT_TOO_LARGE totalCents')
  })

  const linesArb = fc.array(lineArb, { maxLength: 12 })

  it('adds up: total = subtotal + tax, subtotal = Σ net = Σ by kind, discount = Σ discounts', () => {
    fc.assert(
      fc.property(linesArb, ratesArb, (lines, rates) => {
        const t = totals(lines, rates)
        const nets = lines.map((l) => ({ kind: l.kind, net: lineAmounts(l).netCents }))
        const netOf = (kind: LineKind) => nets.filter((n) => n.kind === kind).reduce((s, n) => s + n.net, 0)
        expect(t.totalCents).toBe(t.subtotalCents + t.taxCents)
        expect(t.subtotalCents).toBe(nets.reduce((s, n) => s + n.net, 0))
        expect(t.labourCents + t.partsCents + t.feesCents).toBe(t.subtotalCents)
        expect([t.labourCents, t.partsCents, t.feesCents]).toEqual([netOf('labour'), netOf('part'), netOf('fee')])
        expect(t.discountCents).toBe(lines.reduce((s, l) => s + l.discountCents, 0))
        expect(t.taxCents).toBe(refTax(netOf('labour'), rates.labourBp) + refTax(netOf('part'), rates.partsBp) + refTax(netOf('fee'), rates.feesBp))
        expect(taxBreakdown(lines, rates).reduce((s, x) => s + x.taxCents, 0)).toBe(t.taxCents)
      }),
    )
  })

  it('does not depend on the order of lines', () => {
    const shuffled = linesArb.chain((lines) => fc.tuple(fc.constant(lines), fc.shuffledSubarray(lines, { minLength: lines.length, maxLength: lines.length })))
    fc.assert(fc.property(shuffled, ratesArb, ([lines, reordered], rates) => {
        expect(totals(reordered, rates)).toEqual(totals(lines, rates))
      }),
    )
  })

  it('does not change when a zero-amount line is added anywhere', () => {
    const zero = fc.record({ kind: kindArb, quantity: fc.integer({ min: 1, max: 10 ** 6 }).map((h) => h / 100), unitPriceCents: fc.constant(0), discountCents: fc.constant(0) })
    fc.assert(
      fc.property(linesArb, zero, fc.nat(), ratesArb, (lines, line, at, rates) => {
        const withZero = [...lines.slice(0, at % (lines.length + 1)), line, ...lines.slice(at % (lines.length + 1))]
        expect(totals(withZero, rates)).toEqual(totals(lines, rates))
      }),
    )
  })

  it('adds no tax at zero rates, and never a negative figure', () => {
    fc.assert(
      fc.property(linesArb, ratesArb, (lines, rates) => {
        const untaxed = totals(lines, { labourBp: 0, partsBp: 0, feesBp: 0 })
        expect(untaxed.taxCents).toBe(0)
        expect(untaxed.totalCents).toBe(untaxed.subtotalCents)
        expect(Object.values(totals(lines, rates)).every((v) => Number.isSafeInteger(v) && v >= 0)).toBe(true)
      }),
    )
  })

  it('splits over concatenation except for tax', () => {
    fc.assert(
      fc.property(linesArb, linesArb, ratesArb, (a, b, rates) => {
        const [ta, tb, tab] = [totals(a, rates), totals(b, rates), totals([...a, ...b], rates)]
        expect(tab.subtotalCents).toBe(ta.subtotalCents + tb.subtotalCents)
        expect(tab.discountCents).toBe(ta.discountCents + tb.discountCents)
        // Rounding once per kind: the tax of the whole is within a cent per kind of the parts' taxes.
        expect(Math.abs(tab.taxCents - ta.taxCents - tb.taxCents)).toBeLessThanOrEqual(3)
      }),
    )
  })

  it('netOf is the subtotal at any rates, Σ of the lines\' nets, and splits over concatenation exactly', () => {
    fc.assert(
      fc.property(linesArb, linesArb, ratesArb, (a, b, rates) => {
        expect(netOf(a)).toBe(totals(a, rates).subtotalCents)
        expect(netOf(a)).toBe(a.reduce((sum, line) => sum + lineAmounts(line).netCents, 0))
        expect(netOf([...a, ...b])).toBe(netOf(a) + netOf(b))
      }),
    )
  })

  it('netOf of no lines is 0, names a bad line and refuses a sum past Number.MAX_SAFE_INTEGER', () => {
    expect(netOf([])).toBe(0)
    const good: LineInput = { kind: 'fee', quantity: 1, unitPriceCents: 100, discountCents: 0 }
    expect(codeOf(() => netOf([good, { ...good, discountCents: 101 }]))).toBe('MONEY_DISCOUNT_OUT_OF_RANGE lines[1].discountCents')
    const half: LineInput = { kind: 'part', quantity: 1, unitPriceCents: 2 ** 52, discountCents: 0 }
    expect(codeOf(() => netOf([half, half]))).toBe('MONEY_AMOUNT_TOO_LARGE netCents')
  })
})
