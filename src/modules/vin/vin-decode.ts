import {
  CHECK_DIGIT_WEIGHTS,
  COUNTRY_RANGES,
  FIRST_CODED_MODEL_YEAR,
  MANUFACTURERS,
  MODEL_YEAR_CODES,
  REGIONS,
  TRANSLITERATION,
  VIN_CHARACTERS,
  type VinRegion,
} from './vin-tables.ts'

/**
 * The check digit of a VIN (49 CFR 565.15, position 9). `expected` is what the other 16 characters
 * compute to and `actual` what position 9 holds; both are null when the VIN is not well-formed.
 * `applies` is true for a first character 1–5, as the API contract (api-garage.md) defines a
 * North-American VIN: 49 CFR 565 makes position 9 a check digit for vehicles built for that market,
 * while ISO 3779 lets everyone else put anything there (European VINs often hold Z), so a mismatch
 * elsewhere means nothing. SAE's chart also gives 7 to the United States (region North America
 * here), but the contract's rule is 1–5, so a 7… VIN is not checked.
 */
export interface VinCheckDigit {
  applies: boolean
  expected: string | null
  actual: string | null
}

/**
 * What a VIN says about itself, read offline.
 * - `vin`: the input with a–z upper-cased and nothing else changed (no trimming: a space is a problem).
 * - `valid`: well-formed, i.e. 17 characters A–Z and 0–9 without I, O, Q. A wrong check digit does
 *   not make a VIN invalid: it shows as `checkDigit.expected !== checkDigit.actual` (with `applies`),
 *   as a VIN with a typo in it still has to be recorded and fixed, not refused.
 * - `problems`: why it is not well-formed, one sentence per kind of fault (empty when `valid`).
 * - `region`, `country`: from the WMI's first one and two characters, null where no one is assigned.
 * - `manufacturer`: from the 3-character WMI when it is in the (small) table, else null.
 * - `modelYears`: every year position 10 can stand for between 1980 and next year, newest first
 *   (the code repeats every 30 years: L is 1990 or 2020); [] when position 10 is not a year code.
 * A VIN that is not well-formed is not read at all: nulls, `applies: false` and [] throughout.
 */
export interface VinDecoding {
  vin: string
  valid: boolean
  problems: string[]
  checkDigit: VinCheckDigit
  region: VinRegion | null
  country: string | null
  manufacturer: string | null
  modelYears: number[]
}

const VIN_LENGTH = 17
/** First characters whose VINs carry a check digit, as the contract says (7 is North America too, but not in its rule). */
export const CHECK_DIGIT_FIRST_CHARACTERS = '12345'
// How many positions one problem lists before it says how many more there are.
const POSITIONS_LISTED = 5

/** The VIN as the decoder reads it: a–z upper-cased, nothing else touched. */
export function normaliseVin(vin: string): string {
  // Only ASCII letters: toUpperCase() would turn ß into SS and ı into I, moving or inventing characters.
  return vin.replace(/[a-z]+/g, (letters) => letters.toUpperCase())
}

/** The check digit ('0'–'9' or 'X') that the 17 characters of a well-formed VIN compute to; position 9 itself weighs 0. */
export function vinCheckDigit(vin: string): string {
  let sum = 0
  for (let i = 0; i < VIN_LENGTH; i++) {
    const c = vin[i] ?? '0'
    const value = c >= '0' && c <= '9' ? c.charCodeAt(0) - 48 : (TRANSLITERATION[c] ?? 0)
    sum += value * CHECK_DIGIT_WEIGHTS[i]!
  }
  const remainder = sum % 11
  return remainder === 10 ? 'X' : String(remainder)
}

function positionList(positions: number[]): string {
  const shown = positions.slice(0, POSITIONS_LISTED).join(', ')
  const more = positions.length - POSITIONS_LISTED
  const label = positions.length === 1 ? 'position' : 'positions'
  return more > 0 ? `${label} ${shown} and ${more} more` : `${label} ${shown}`
}

/** Why a normalised VIN is not well-formed: [] when it is 17 characters A–Z and 0–9 without I, O, Q. */
export function vinProblems(vin: string): string[] {
  // Code points, not UTF-16 units, so that an emoji is one character at one position.
  const characters = Array.from(vin)
  const problems: string[] = []
  if (characters.length !== VIN_LENGTH) problems.push(`must be ${VIN_LENGTH} characters long, not ${characters.length}`)
  const confusable: number[] = []
  const foreign: number[] = []
  characters.forEach((c, i) => {
    if (c === 'I' || c === 'O' || c === 'Q') confusable.push(i + 1)
    else if (!VIN_CHARACTERS.includes(c)) foreign.push(i + 1)
  })
  if (confusable.length > 0) problems.push(`I, O and Q are never used in a VIN (they pass for 1, 0 and 9): ${positionList(confusable)}`)
  if (foreign.length > 0) problems.push(`only letters A–Z and digits 0–9 are allowed: ${positionList(foreign)}`)
  return problems
}

/** The region of a WMI's first character, or null for the spare codes (D–G, 0). */
export function vinRegion(first: string): VinRegion | null {
  for (const [region, characters] of Object.entries(REGIONS) as [VinRegion, string][]) {
    if (characters.includes(first)) return region
  }
  return null
}

/** The country of a WMI's first two characters, or null where none is assigned. */
export function vinCountry(wmi: string): string | null {
  const second = VIN_CHARACTERS.indexOf(wmi[1] ?? '')
  if (second < 0) return null
  for (const [from, to, country] of COUNTRY_RANGES) {
    if (from[0] !== wmi[0]) continue
    if (VIN_CHARACTERS.indexOf(from[1]!) <= second && second <= VIN_CHARACTERS.indexOf(to[1]!)) return country
  }
  return null
}

/** Every model year a position-10 code stands for from 1980 to `latestYear`, newest first; [] for a character that is no year code. */
export function modelYearCandidates(code: string, latestYear: number): number[] {
  const index = code.length === 1 ? MODEL_YEAR_CODES.indexOf(code) : -1
  if (index < 0) return []
  const years: number[] = []
  for (let year = FIRST_CODED_MODEL_YEAR + index; year <= latestYear; year += MODEL_YEAR_CODES.length) years.unshift(year)
  return years
}

/**
 * Decodes a VIN offline (see VinDecoding for every field). Never throws. `now` fixes "next year",
 * the newest model year accepted, as vehicle years are (makers sell next year's models early).
 */
export function decodeVin(vin: string, now: Date = new Date()): VinDecoding {
  const normalised = normaliseVin(vin)
  const problems = vinProblems(normalised)
  if (problems.length > 0) {
    return {
      vin: normalised,
      valid: false,
      problems,
      checkDigit: { applies: false, expected: null, actual: null },
      region: null,
      country: null,
      manufacturer: null,
      modelYears: [],
    }
  }
  const wmi = normalised.slice(0, 3)
  const region = vinRegion(normalised[0]!)
  return {
    vin: normalised,
    valid: true,
    problems: [],
    checkDigit: { applies: CHECK_DIGIT_FIRST_CHARACTERS.includes(normalised[0]!), expected: vinCheckDigit(normalised), actual: normalised[8]! },
    region,
    country: vinCountry(wmi),
    manufacturer: MANUFACTURERS[wmi] ?? null,
    modelYears: modelYearCandidates(normalised[9]!, now.getUTCFullYear() + 1),
  }
}

/**
 * The warning vehicle creation attaches (it never refuses for this): a sentence when a well-formed
 * North-American VIN's check digit does not compute, else null (also for VINs that are not well-formed,
 * which the vehicle schema rejects on its own).
 */
export function checkDigitWarning(vin: string): string | null {
  const { valid, checkDigit } = decodeVin(vin)
  if (!valid || !checkDigit.applies || checkDigit.expected === checkDigit.actual) return null
  return `the check digit of this North-American VIN is ${checkDigit.actual}, expected ${checkDigit.expected}`
}
