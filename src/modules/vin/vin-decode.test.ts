import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { checkDigitWarning, decodeVin, modelYearCandidates, normaliseVin, vinCheckDigit, type VinDecoding } from './vin-decode.ts'
import { COUNTRY_RANGES, MANUFACTURERS, MODEL_YEAR_CODES, REGIONS, TRANSLITERATION, VIN_CHARACTERS } from './vin-tables.ts'

// "Next year" is 2027 throughout, so the expected model years do not move with the calendar.
const NOW = new Date('2026-12-01T12:00:00Z')
const LATEST = 2027

type Expected = Omit<VinDecoding, 'vin' | 'valid' | 'problems'>

/**
 * Genuine VINs from public sources, their check digits verified by computing them (and by NHTSA's
 * vPIC decoder, "Check Digit (9th position) is correct", for the Tesla, Harley-Davidson, Freightliner,
 * Acura and Aston Martin): 1M8GDM9AXKP042788 is the worked example of the 49 CFR 565 check digit,
 * 1HGCM82633A004352 the 2003 Accord many decoders document. The Japanese and British VINs belong to
 * vehicles built for the US, so their check digits compute even though nothing requires it there.
 * The two Volkswagens are public European examples, with Z where North America puts the check digit.
 * 7SAYGDEE1PA123456 is made up (check digit computed) to stand for Tesla's Texas-built cars.
 */
const DECODED: [vin: string, expected: Expected][] = [
  ['1M8GDM9AXKP042788', { region: 'North America', country: 'United States', manufacturer: null, checkDigit: { applies: true, expected: 'X', actual: 'X' }, modelYears: [2019, 1989] }],
  ['5YJSA1H12FFP71790', { region: 'North America', country: 'United States', manufacturer: 'Tesla', checkDigit: { applies: true, expected: '2', actual: '2' }, modelYears: [2015, 1985] }],
  ['1HD1GP4558K319097', { region: 'North America', country: 'United States', manufacturer: 'Harley-Davidson', checkDigit: { applies: true, expected: '5', actual: '5' }, modelYears: [2008] }],
  ['1FV3GFBC0YHA74039', { region: 'North America', country: 'United States', manufacturer: 'Freightliner', checkDigit: { applies: true, expected: '0', actual: '0' }, modelYears: [2000] }],
  ['1HGCM82633A004352', { region: 'North America', country: 'United States', manufacturer: 'Honda', checkDigit: { applies: true, expected: '3', actual: '3' }, modelYears: [2003] }],
  ['7SAYGDEE1PA123456', { region: 'North America', country: 'United States', manufacturer: 'Tesla', checkDigit: { applies: false, expected: '1', actual: '1' }, modelYears: [2023, 1993] }],
  ['JH4KA2650HC000268', { region: 'Asia', country: 'Japan', manufacturer: 'Acura', checkDigit: { applies: false, expected: '0', actual: '0' }, modelYears: [2017, 1987] }],
  ['SCFEBBELXDGD17560', { region: 'Europe', country: 'United Kingdom', manufacturer: 'Aston Martin', checkDigit: { applies: false, expected: 'X', actual: 'X' }, modelYears: [2013, 1983] }],
  ['WVWZZZ1JZ3W386752', { region: 'Europe', country: 'Germany', manufacturer: 'Volkswagen', checkDigit: { applies: false, expected: '9', actual: 'Z' }, modelYears: [2003] }],
  ['WVWZZZ1KZ6W612305', { region: 'Europe', country: 'Germany', manufacturer: 'Volkswagen', checkDigit: { applies: false, expected: '2', actual: 'Z' }, modelYears: [2006] }],
]

/** A well-formed VIN that starts with `prefix`, for looking up regions and countries. */
const vinStartingWith = (prefix: string): string => prefix + 'A'.repeat(17 - prefix.length)

const value = (c: string): number => (c >= '0' && c <= '9' ? Number(c) : TRANSLITERATION[c]!)

const vinArb = fc.string({ unit: fc.constantFrom(...VIN_CHARACTERS), minLength: 17, maxLength: 17 })
const withCheckDigit = (vin: string): string => `${vin.slice(0, 8)}${vinCheckDigit(vin)}${vin.slice(9)}`

describe('decodeVin: real VINs', () => {
  it.each(DECODED)('%s', (vin, expected) => {
    expect(decodeVin(vin, NOW)).toEqual({ vin, valid: true, problems: [], ...expected })
  })

  it('reads lower case as upper case and returns the VIN upper-cased', () => {
    expect(decodeVin('wvwzzz1jz3w386752', NOW)).toEqual(decodeVin('WVWZZZ1JZ3W386752', NOW))
    expect(decodeVin('1hgcm82633a004352', NOW).vin).toBe('1HGCM82633A004352')
  })

  it('keeps a North-American VIN with a wrong check digit valid and reports the mismatch', () => {
    const decoded = decodeVin('1HGCM82643A004352', NOW)
    expect(decoded.valid).toBe(true)
    expect(decoded.checkDigit).toEqual({ applies: true, expected: '3', actual: '4' })
    expect(decoded.manufacturer).toBe('Honda')
  })

  it('takes next year as the newest model year, so the same VIN gains a candidate when the year turns', () => {
    // V is 1997 or 2027: 2027 is next year from 2026 on, not yet in 2025.
    expect(decodeVin('1HGCM8263VA004352', new Date('2026-01-01T00:00:00Z')).modelYears).toEqual([2027, 1997])
    expect(decodeVin('1HGCM8263VA004352', new Date('2025-12-31T23:59:59Z')).modelYears).toEqual([1997])
  })

  it('gives no model year for U, Z or 0 at position 10, which are never year codes, and stays valid', () => {
    for (const code of ['U', 'Z', '0']) {
      const decoded = decodeVin(`WVWZZZ1JZ${code}W386752`, NOW)
      expect(decoded.valid).toBe(true)
      expect(decoded.modelYears).toEqual([])
    }
  })
})

describe('decodeVin: VINs that are not well-formed', () => {
  const INVALID: [input: string, problems: string[]][] = [
    ['', ['must be 17 characters long, not 0']],
    ['1HGCM82633A00435', ['must be 17 characters long, not 16']],
    ['1HGCM82633A0043520', ['must be 17 characters long, not 18']],
    ['WVWZZZ1JZ3W38675O', ['I, O and Q are never used in a VIN (they pass for 1, 0 and 9): position 17']],
    ['1HGCM-82633A00435', ['only letters A–Z and digits 0–9 are allowed: position 6']],
    // Nothing is stripped: a leading space is a character too.
    [' 1HGCM82633A004352', ['must be 17 characters long, not 18', 'only letters A–Z and digits 0–9 are allowed: position 1']],
    ['IOQIOQIOQIOQIOQIO', ['I, O and Q are never used in a VIN (they pass for 1, 0 and 9): positions 1, 2, 3, 4, 5 and 12 more']],
    ['1hgcm82633a00435q', ['I, O and Q are never used in a VIN (they pass for 1, 0 and 9): position 17']],
    // Only a–z are upper-cased: ß does not become SS, nor dotless ı an I; an emoji is one character.
    ['1hgcm82633a00435ß', ['only letters A–Z and digits 0–9 are allowed: position 17']],
    ['1HGCM82633A00435ı', ['only letters A–Z and digits 0–9 are allowed: position 17']],
    ['1HGCM82633A00435😀', ['only letters A–Z and digits 0–9 are allowed: position 17']],
    ['1HGCM8263\u00A0A004352', ['only letters A–Z and digits 0–9 are allowed: position 10']],
  ]

  it.each(INVALID)('%j', (input, problems) => {
    expect(decodeVin(input, NOW)).toEqual({
      vin: normaliseVin(input),
      valid: false,
      problems,
      checkDigit: { applies: false, expected: null, actual: null },
      region: null,
      country: null,
      manufacturer: null,
      modelYears: [],
    })
  })
})

describe('decodeVin: regions and countries from the WMI', () => {
  const PLACES: [prefix: string, region: string | null, country: string | null][] = [
    ['AA', 'Africa', 'South Africa'], ['CA', 'Africa', 'Egypt'], ['CZ', 'Africa', null],
    ['DA', null, null], ['GZ', null, null], ['0A', null, null],
    ['HA', 'Asia', 'China'], ['JA', 'Asia', 'Japan'], ['J0', 'Asia', 'Japan'], ['LA', 'Asia', 'China'],
    ['KK', 'Asia', null], ['KL', 'Asia', 'South Korea'], ['KR', 'Asia', 'South Korea'], ['KS', 'Asia', 'Jordan'],
    ['SA', 'Europe', 'United Kingdom'], ['SM', 'Europe', 'United Kingdom'], ['SN', 'Europe', 'Germany'], ['SU', 'Europe', 'Poland'],
    ['TM', 'Europe', 'Czech Republic'], ['VE', 'Europe', 'Austria'], ['VF', 'Europe', 'France'], ['VR', 'Europe', 'France'],
    ['VS', 'Europe', 'Spain'], ['WA', 'Europe', 'Germany'], ['W0', 'Europe', 'Germany'], ['XP', 'Europe', 'Netherlands'],
    ['YS', 'Europe', 'Sweden'], ['YW', 'Europe', 'Sweden'], ['YX', 'Europe', 'Norway'],
    ['ZA', 'Europe', 'Italy'], ['ZU', 'Europe', 'Italy'], ['ZV', 'Europe', null],
    ['1A', 'North America', 'United States'], ['10', 'North America', 'United States'], ['4T', 'North America', 'United States'],
    ['5Y', 'North America', 'United States'], ['7S', 'North America', 'United States'],
    ['2A', 'North America', 'Canada'], ['25', 'North America', 'Canada'], ['26', 'North America', null],
    ['3A', 'North America', 'Mexico'], ['3X', 'North America', 'Mexico'], ['3Y', 'North America', null], ['35', 'North America', 'Dominican Republic'],
    ['6A', 'Oceania', 'Australia'], ['6X', 'Oceania', 'Australia'], ['6Y', 'Oceania', 'New Zealand'], ['62', 'Oceania', null],
    ['8A', 'South America', 'Argentina'], ['9B', 'South America', 'Brazil'], ['93', 'South America', 'Brazil'], ['9H', 'South America', null],
  ]

  it.each(PLACES)('%s… is %s, %s', (prefix, region, country) => {
    const decoded = decodeVin(vinStartingWith(prefix), NOW)
    expect({ region: decoded.region, country: decoded.country }).toEqual({ region, country })
  })

  it('applies the check digit to first characters 1–5, as the contract says, and to no other (not 7, though North America too)', () => {
    const applying = [...VIN_CHARACTERS].filter((c) => decodeVin(vinStartingWith(c), NOW).checkDigit.applies)
    expect(applying.join('')).toBe('12345')
    expect(decodeVin(vinStartingWith('7S'), NOW).region).toBe('North America')
  })
})

describe('vin-tables: the data is consistent', () => {
  const order = (c: string): number => VIN_CHARACTERS.indexOf(c)

  it('gives each first character at most one region', () => {
    const all = Object.values(REGIONS).join('')
    expect(new Set(all).size).toBe(all.length)
    for (const c of all) expect(VIN_CHARACTERS).toContain(c)
  })

  it('has country ranges within one first character, in order, not overlapping, in rows that have a region', () => {
    const taken = new Map<string, string>()
    for (const [from, to, country] of COUNTRY_RANGES) {
      expect(from[0], `${from}-${to}`).toBe(to[0])
      expect(order(from[1]!), `${from}-${to}`).toBeGreaterThanOrEqual(0)
      expect(order(from[1]!), `${from}-${to}`).toBeLessThanOrEqual(order(to[1]!))
      expect(decodeVin(vinStartingWith(from), NOW).region, `${from}-${to}`).not.toBeNull()
      for (let i = order(from[1]!); i <= order(to[1]!); i++) {
        const code = from[0]! + VIN_CHARACTERS[i]!
        expect(taken.get(code), `${code} is ${country} and ${taken.get(code)}`).toBeUndefined()
        taken.set(code, country)
      }
    }
  })

  it('lists manufacturers under 3-character WMIs of VIN characters, each in an assigned country', () => {
    expect(Object.keys(MANUFACTURERS).length).toBeGreaterThanOrEqual(60)
    for (const wmi of Object.keys(MANUFACTURERS)) {
      expect(wmi).toMatch(/^[A-HJ-NPR-Z0-9]{3}$/)
      expect(decodeVin(vinStartingWith(wmi), NOW).country, wmi).not.toBeNull()
    }
  })
})

describe('checkDigitWarning', () => {
  const WARNINGS: [vin: string, warning: string | null][] = [
    ['1HGCM82633A004352', null],
    ['1HGCM82643A004352', 'the check digit of this North-American VIN is 4, expected 3'],
    ['1m8gdm9a1kp042788', 'the check digit of this North-American VIN is 1, expected X'],
    // Outside North America position 9 need not be a check digit; not well-formed is the schema's business.
    ['WVWZZZ1JZ3W386752', null],
    // 7 is assigned to the US, but the contract checks first characters 1–5 only.
    ['7SAYGDEE2PA123456', null],
    ['1HGCM82643A00435', null],
    ['', null],
  ]

  it.each(WARNINGS)('%s', (vin, warning) => {
    expect(checkDigitWarning(vin)).toBe(warning)
  })
})

describe('properties', () => {
  it('setting position 9 to the computed check digit makes the check digit match', () => {
    fc.assert(
      fc.property(vinArb, (draft) => {
        const vin = withCheckDigit(draft)
        const { valid, checkDigit } = decodeVin(vin, NOW)
        expect(valid).toBe(true)
        expect(checkDigit.actual).toBe(checkDigit.expected)
        expect(checkDigitWarning(vin)).toBeNull()
      }),
    )
  })

  it('detects every change of one character to one of another value (weights and values are all below 11)', () => {
    const change = fc.record({
      draft: vinArb,
      position: fc.integer({ min: 0, max: 16 }).filter((p) => p !== 8),
      replacement: fc.constantFrom(...VIN_CHARACTERS),
    })
    fc.assert(
      fc.property(change, ({ draft, position, replacement }) => {
        const vin = withCheckDigit(draft)
        fc.pre(value(replacement) !== value(vin[position]!))
        const changed = vin.slice(0, position) + replacement + vin.slice(position + 1)
        const { checkDigit } = decodeVin(changed, NOW)
        expect(checkDigit.expected).not.toBe(checkDigit.actual)
        expect(checkDigitWarning(changed) !== null).toBe(checkDigit.applies)
      }),
    )
  })

  it('never throws, and calls a string valid exactly when it is 17 VIN characters after upper-casing', () => {
    const nearVin = fc.string({ unit: fc.constantFrom(...VIN_CHARACTERS, ...'IOQioqabcxyz -ßı'), minLength: 15, maxLength: 19 })
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), nearVin), fc.date({ noInvalidDate: true }), (input, now) => {
        const decoded = decodeVin(input, now)
        // Without the u flag, i folds ASCII letters only (ſ and ı stay themselves), as normaliseVin does.
        expect(decoded.valid).toBe(/^[A-HJ-NPR-Z0-9]{17}$/i.test(input))
        expect(decoded.problems.length === 0).toBe(decoded.valid)
        if (!decoded.valid) expect(decoded.checkDigit).toEqual({ applies: false, expected: null, actual: null })
        checkDigitWarning(input)
      }),
    )
  })

  it('gives every model year of a code from 1980 to next year, 30 years apart, newest first, each mapping back to the code', () => {
    fc.assert(
      fc.property(fc.constantFrom(...MODEL_YEAR_CODES), fc.integer({ min: 1970, max: 2300 }), (code, latest) => {
        const years = modelYearCandidates(code, latest)
        const first = 1980 + MODEL_YEAR_CODES.indexOf(code)
        expect(years.length).toBe(latest < first ? 0 : Math.floor((latest - first) / 30) + 1)
        years.forEach((year, i) => {
          expect(year).toBeGreaterThanOrEqual(1980)
          expect(year).toBeLessThanOrEqual(latest)
          expect(MODEL_YEAR_CODES[(year - 1980) % 30]).toBe(code)
          if (i > 0) expect(years[i - 1]! - year).toBe(30)
        })
      }),
    )
  })

  it('gives no model year for a character that is no year code', () => {
    for (const c of [...'IOQUZ0', 'AB', '', 'a']) expect(modelYearCandidates(c, LATEST)).toEqual([])
  })
})
