// The money arithmetic of api-garage.md "Conventions added here", fixed so that every client gets the same cents.
// Everything is done on integers: cents are safe integers, quantities are counted in hundredths, and every
// product or quotient goes through BigInt, so no float ever decides a cent.

/** The kind of a work-order or invoice line. */
export type LineKind = 'labour' | 'part' | 'fee'

/** The kind a tax rate applies to (`taxRates` of the shop). */
export type TaxKind = 'labour' | 'parts' | 'fees'

/** Every line kind, in the order totals and tax breakdowns list them. */
export const LINE_KINDS: readonly LineKind[] = ['labour', 'part', 'fee']

/** The tax kind that taxes a line of each kind. */
export const TAX_KIND_OF: Readonly<Record<LineKind, TaxKind>> = { labour: 'labour', part: 'parts', fee: 'fees' }

/** What a line contributes to the money: the rest of a line (ids, descriptions, reservations) does not count. */
export interface LineInput {
  kind: LineKind
  /** Hours or units: > 0 with at most 2 decimals. */
  quantity: number
  unitPriceCents: number
  discountCents: number
}

/** A line's computed figures. */
export interface LineAmounts {
  /** quantity × unitPriceCents, rounded half away from zero. */
  amountCents: number
  /** amountCents − discountCents. */
  netCents: number
}

/** The shop's tax rates in basis points (2000 = 20 %). */
export interface TaxRates {
  labourBp: number
  partsBp: number
  feesBp: number
}

/** The totals of a set of lines, shaped as a work order's or an estimate's `totals`. */
export interface Totals {
  labourCents: number
  partsCents: number
  feesCents: number
  discountCents: number
  subtotalCents: number
  taxCents: number
  totalCents: number
}

/** One tax of an invoice: its kind, rate, the net it is computed on, and the rounded tax. */
export interface TaxLine {
  kind: TaxKind
  rateBp: number
  baseCents: number
  taxCents: number
}

/** Why an input was refused: internal names; a module turns them into its catalogued API problems. */
export type MoneyErrorCode =
  | 'MONEY_INVALID_QUANTITY'
  | 'MONEY_INVALID_CENTS'
  | 'MONEY_INVALID_RATE'
  | 'MONEY_INVALID_LINE_KIND'
  | 'MONEY_DISCOUNT_OUT_OF_RANGE'
  | 'MONEY_AMOUNT_TOO_LARGE'

/**
 * Thrown for any input the arithmetic refuses: a caller validates requests first (schemas), so reaching this
 * is either a client's discount above the amount (the service turns it into a 400) or a bug.
 */
export class MoneyError extends Error {
  readonly code: MoneyErrorCode
  readonly field: string

  constructor(code: MoneyErrorCode, field: string, detail: string) {
    super(detail)
    this.name = 'MoneyError'
    this.code = code
    this.field = field
  }
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER)
/**
 * The largest quantity, in hundredths, that is accepted: below 10^15 a 2-decimal quantity has at most 15
 * significant digits, and every such decimal survives the trip to a double and back (DBL_DIG = 15), so two
 * different quantities a client writes never become the same double.
 */
export const MAX_QUANTITY_HUNDREDTHS = 999_999_999_999_999
const BP_PER_UNIT = 10_000n
// A number's shortest round-trip form (what JSON shows a client) with at most 2 decimals: "3", "1.5", "1.15".
const TWO_DECIMALS = /^(\d+)(?:\.(\d{1,2}))?$/

/**
 * `numerator / denominator` rounded to the nearest integer, halves away from zero (2.5 → 3, −2.5 → −3), exactly.
 * Throws a RangeError on a zero denominator.
 */
export function roundHalfAwayFromZero(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError('roundHalfAwayFromZero: the denominator is 0')
  const negative = numerator < 0n !== denominator < 0n
  const n = numerator < 0n ? -numerator : numerator
  const d = denominator < 0n ? -denominator : denominator
  // BigInt division truncates; on magnitudes that is floor, and a remainder of at least half rounds up (away).
  const quotient = n / d
  const rounded = 2n * (n % d) >= d ? quotient + 1n : quotient
  return negative ? -rounded : rounded
}

/**
 * A quantity as an exact count of hundredths (1.15 → 115). A quantity must be > 0 and, written the way
 * JavaScript and JSON write numbers (the shortest form that reads back as the same double), have at most
 * 2 decimals: `String(q)` must match `\d+(\.\d{1,2})?`. So 1.15 is 115 hundredths (its double is not exactly
 * 1.15, but it is the double "1.15" parses to), while 0.1 + 0.2 (0.30000000000000004), 1.005 and 1e21 are
 * refused rather than rounded: a client that sent them did not send a 2-decimal quantity. Throws MoneyError
 * (`MONEY_INVALID_QUANTITY`, or `MONEY_AMOUNT_TOO_LARGE` above MAX_QUANTITY_HUNDREDTHS).
 */
export function quantityToHundredths(quantity: number, field = 'quantity'): number {
  if (typeof quantity !== 'number' || !Number.isFinite(quantity) || quantity <= 0) {
    throw new MoneyError('MONEY_INVALID_QUANTITY', field, `The ${field} must be a number greater than 0.`)
  }
  const match = TWO_DECIMALS.exec(String(quantity))
  if (!match) throw new MoneyError('MONEY_INVALID_QUANTITY', field, `The ${field} may have at most 2 decimals.`)
  const hundredths = BigInt(match[1]!) * 100n + BigInt((match[2] ?? '').padEnd(2, '0'))
  if (hundredths > BigInt(MAX_QUANTITY_HUNDREDTHS)) throw new MoneyError('MONEY_AMOUNT_TOO_LARGE', field, `The ${field} is too large.`)
  return Number(hundredths)
}

function cents(value: number, field: string): bigint {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new MoneyError('MONEY_INVALID_CENTS', field, `The ${field} must be a whole number of cents, 0 or more.`)
  }
  return BigInt(value)
}

function safe(value: bigint, field: string): number {
  if (value > MAX_SAFE || value < -MAX_SAFE) {
    throw new MoneyError('MONEY_AMOUNT_TOO_LARGE', field, `The ${field} is beyond what can be counted exactly.`)
  }
  return Number(value)
}

function lineKind(kind: unknown, field: string): LineKind {
  if (kind !== 'labour' && kind !== 'part' && kind !== 'fee') {
    throw new MoneyError('MONEY_INVALID_LINE_KIND', field, `The ${field} must be labour, part or fee.`)
  }
  return kind
}

function exactAmounts(line: LineInput, field: string): { amount: bigint; discount: bigint; net: bigint } {
  lineKind(line.kind, `${field}kind`)
  const hundredths = BigInt(quantityToHundredths(line.quantity, `${field}quantity`))
  const price = cents(line.unitPriceCents, `${field}unitPriceCents`)
  const discount = cents(line.discountCents, `${field}discountCents`)
  const amount = roundHalfAwayFromZero(hundredths * price, 100n)
  safe(amount, `${field}amountCents`)
  if (discount > amount) {
    throw new MoneyError('MONEY_DISCOUNT_OUT_OF_RANGE', `${field}discountCents`, 'The discount may not exceed the line amount.')
  }
  return { amount, discount, net: amount - discount }
}

/**
 * A line's `amountCents` (quantity × unitPriceCents, rounded half away from zero) and `netCents`
 * (amount − discount). Throws MoneyError on a bad quantity, negative or fractional cents, a discount
 * outside 0..amount, or an amount beyond Number.MAX_SAFE_INTEGER.
 */
export function lineAmounts(line: LineInput): LineAmounts {
  const { amount, net } = exactAmounts(line, '')
  return { amountCents: Number(amount), netCents: Number(net) }
}

function rate(value: number, field: string): bigint {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new MoneyError('MONEY_INVALID_RATE', field, `The ${field} must be a whole number of basis points, 0 or more.`)
  }
  return BigInt(value)
}

interface ExactSums {
  net: Record<LineKind, bigint>
  discount: bigint
}

function sums(lines: readonly LineInput[]): ExactSums {
  const net: Record<LineKind, bigint> = { labour: 0n, part: 0n, fee: 0n }
  let discount = 0n
  lines.forEach((line, index) => {
    const figures = exactAmounts(line, `lines[${index}].`)
    net[line.kind] += figures.net
    discount += figures.discount
  })
  return { net, discount }
}

function breakdown(net: Record<LineKind, bigint>, taxRates: TaxRates): { kind: TaxKind; rateBp: bigint; base: bigint; tax: bigint }[] {
  const rates: Record<TaxKind, bigint> = {
    labour: rate(taxRates.labourBp, 'labourBp'),
    parts: rate(taxRates.partsBp, 'partsBp'),
    fees: rate(taxRates.feesBp, 'feesBp'),
  }
  return LINE_KINDS.map((lineKind) => {
    const kind = TAX_KIND_OF[lineKind]
    const base = net[lineKind]
    // Tax is rounded once per kind, on the kind's whole net: never per line.
    return { kind, rateBp: rates[kind], base, tax: roundHalfAwayFromZero(base * rates[kind], BP_PER_UNIT) }
  })
}

/**
 * The tax per kind of a set of lines (labour, parts, fees, always all three, in that order): each is
 * round-half-away(Σ net of that kind × rateBp / 10000). Throws MoneyError as lineAmounts does, or on a bad rate.
 */
export function taxBreakdown(lines: readonly LineInput[], taxRates: TaxRates): TaxLine[] {
  return breakdown(sums(lines).net, taxRates).map((t) => ({
    kind: t.kind,
    rateBp: Number(t.rateBp),
    baseCents: safe(t.base, `${t.kind}BaseCents`),
    taxCents: safe(t.tax, `${t.kind}TaxCents`),
  }))
}

/**
 * The totals of a set of lines: Σ net by kind, Σ discounts, subtotal = Σ net, tax per kind on that kind's net
 * (see taxBreakdown), total = subtotal + tax. Order of lines does not matter. Throws MoneyError on any bad
 * line or rate, or when a figure would pass Number.MAX_SAFE_INTEGER.
 */
export function totals(lines: readonly LineInput[], taxRates: TaxRates): Totals {
  const { net, discount } = sums(lines)
  const subtotal = net.labour + net.part + net.fee
  const tax = breakdown(net, taxRates).reduce((sum, t) => sum + t.tax, 0n)
  return {
    labourCents: safe(net.labour, 'labourCents'),
    partsCents: safe(net.part, 'partsCents'),
    feesCents: safe(net.fee, 'feesCents'),
    discountCents: safe(discount, 'discountCents'),
    subtotalCents: safe(subtotal, 'subtotalCents'),
    taxCents: safe(tax, 'taxCents'),
    totalCents: safe(subtotal + tax, 'totalCents'),
  }
}

/**
 * Σ net of a set of lines, before tax (a job's figure on a mail, a recommendation's worth): the totals'
 * subtotal without computing tax. Throws MoneyError as lineAmounts does, or past Number.MAX_SAFE_INTEGER.
 */
export function netOf(lines: readonly LineInput[]): number {
  const { net } = sums(lines)
  return safe(net.labour + net.part + net.fee, 'netCents')
}
