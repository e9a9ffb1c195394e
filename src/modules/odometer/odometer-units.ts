import type { OdometerUnit } from '../vehicles/index.ts'

// 1 mi = 1.609344 km exactly (the international mile): as a ratio of integers, so conversions are exact before rounding.
const KM_PER_MI_NUM = 1_609_344
const KM_PER_MI_DEN = 1_000_000

/** `num / den` for non-negative integers, rounded half away from zero, in exact integer arithmetic. */
function divideRounded(num: number, den: number): number {
  const remainder = num % den
  const quotient = (num - remainder) / den
  return remainder * 2 >= den ? quotient + 1 : quotient
}

/** A distance in whole units converted to the other unit, rounded half away from zero (1 mi = 1.609344 km). */
export function convertDistance(value: number, from: OdometerUnit, to: OdometerUnit): number {
  if (from === to) return value
  return from === 'mi' ? divideRounded(value * KM_PER_MI_NUM, KM_PER_MI_DEN) : divideRounded(value * KM_PER_MI_DEN, KM_PER_MI_NUM)
}

/** A reading's value in kilometres, the one unit readings are compared in. */
export function toKm(value: number, unit: OdometerUnit): number {
  return convertDistance(value, unit, 'km')
}
