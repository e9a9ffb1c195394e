import fc from 'fast-check'
import type { JsonSchema } from './security-fixtures.ts'

/** Strings that have broken servers before: SQL and glob metacharacters, unicode edge cases, control bytes. */
export const NASTY_STRINGS: readonly string[] = [
  '',
  ' ',
  "' OR 1=1 --",
  "'; DROP TABLE users; --",
  '%',
  '_',
  '*',
  '?',
  '[',
  ']',
  '[z-a]',
  '[^]',
  '[]',
  '\\',
  '\\\\*',
  '%_%',
  '*[*?*',
  'a\u0000b',
  '\u0000',
  '\uD800',
  '\uDFFF',
  'x\uDBFFy',
  '\u202Eevil\u202C',
  '\u200F\u200E',
  '\uFEFF',
  '😀🚗💥',
  '👨‍👩‍👧‍👦',
  'e\u0301\u0301\u0301',
  '\r\n\t',
  '${jndi:ldap://x}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '__proto__',
  'constructor',
  'null',
  '-1',
  '1e309',
  'a'.repeat(257),
  'x'.repeat(10_000),
]

/** Numbers outside every sane range, and values of the wrong type. */
export const NASTY_VALUES: readonly unknown[] = [
  null,
  true,
  false,
  0,
  -0,
  -1,
  1.5,
  2_147_483_648,
  -2_147_483_649,
  Number.MAX_SAFE_INTEGER + 2,
  1e300,
  -1e300,
  [],
  [1],
  {},
  { $gt: '' },
  ...NASTY_STRINGS,
]

const fullUnicodeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c))

/** Any string at all, including lone surrogates and control characters. */
export const anyString = fc.oneof(
  fc.string({ maxLength: 40, unit: fullUnicodeUnit }),
  fc.string({ maxLength: 40, unit: 'grapheme' }),
  fc.constantFrom(...NASTY_STRINGS),
)

function typeOf(schema: JsonSchema): string | undefined {
  return Array.isArray(schema.type) ? schema.type[0] : schema.type
}

function stringArb(schema: JsonSchema): fc.Arbitrary<string> {
  const minLength = schema.minLength ?? 0
  const maxLength = Math.min(schema.maxLength ?? 60, 60)
  const fits = (s: string) => s.length >= minLength && s.length <= (schema.maxLength ?? Infinity)
  if (schema.format === 'email') return fc.emailAddress().filter(fits)
  if (schema.pattern) {
    // Ajv compiles patterns with the u flag; so must the generator, or a match here is a 400 there.
    const re = new RegExp(schema.pattern, 'u')
    // Cut to length rather than filtered: a filter that rarely passes makes generation crawl.
    return fc.stringMatching(re).map((s) => (s.length > (schema.maxLength ?? Infinity) ? s.slice(0, schema.maxLength) : s)).filter(fits)
  }
  return fc.string({ minLength, maxLength, unit: 'grapheme' })
}

/** Values of the schema's shape: mostly valid, sometimes rejected by formats the generator only guesses. */
export function validArb(schema: JsonSchema): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const)
  if (schema.enum) return fc.constantFrom(...schema.enum)
  const variants = schema.anyOf ?? schema.oneOf
  if (variants) return fc.oneof(...variants.map(validArb))
  switch (typeOf(schema)) {
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1000, max: Math.min(schema.maximum ?? 1_000_000, 2_147_483_647) })
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true })
    case 'boolean':
      return fc.boolean()
    case 'null':
      return fc.constant(null)
    case 'string':
      return stringArb(schema)
    case 'array':
      return fc.array(validArb(schema.items ?? {}), { maxLength: 3 })
    case 'object': {
      const properties = schema.properties ?? {}
      const model = Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, validArb(v)]))
      const record = fc.record(model, { requiredKeys: schema.required ?? [] })
      const min = schema.minProperties ?? 0
      return min > 0 ? record.filter((o) => Object.keys(o).length >= min) : record
    }
    default:
      return fc.jsonValue({ maxDepth: 2 })
  }
}

/** A value for a field that the schema refuses, or one the server must still handle safely. */
export function hostileValueArb(): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constantFrom(...NASTY_VALUES),
    anyString,
    fc.integer(),
    fc.double(),
    fc.jsonValue({ maxDepth: 3 }),
  )
}

/** A body derived from an object schema and then broken: a field replaced, one dropped, one added, or no object at all. */
export function hostileBodyArb(schema: JsonSchema): fc.Arbitrary<unknown> {
  const base = validArb(schema) as fc.Arbitrary<Record<string, unknown>>
  const fields = Object.keys(schema.properties ?? {})
  const mutations: fc.Arbitrary<unknown>[] = [
    fc.constantFrom<unknown>(null, [], [{}], 'text', 42, true),
    fc.tuple(base, fc.constantFrom('id', 'createdAt', 'updatedAt', 'role', 'passwordHash', '__proto__', 'constructor', ''), hostileValueArb()).map(
      ([body, key, value]) => ({ ...body, [key]: value }),
    ),
  ]
  if (fields.length > 0) {
    mutations.push(
      fc.tuple(base, fc.constantFrom(...fields), hostileValueArb()).map(([body, key, value]) => ({ ...body, [key]: value })),
      fc.tuple(base, fc.constantFrom(...fields)).map(([body, key]) => {
        const copy = { ...body }
        delete copy[key]
        return copy
      }),
      fc.tuple(base, fc.constantFrom(...fields), fc.constantFrom(...NASTY_STRINGS)).map(([body, key, value]) => ({ ...body, [key]: value })),
    )
  }
  return fc.oneof(...mutations)
}

/**
 * Percent-encodes any JS string the way a hostile client can put it on the wire: lone surrogates
 * become the (invalid) UTF-8 of their code unit, which encodeURIComponent refuses to produce.
 */
export function wireEncode(text: string): string {
  let out = ''
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    const isHigh = code >= 0xd800 && code <= 0xdbff
    const next = text.charCodeAt(i + 1)
    if (isHigh && next >= 0xdc00 && next <= 0xdfff) {
      out += encodeURIComponent(text[i]! + text[i + 1]!)
      i++
    } else if (code >= 0xd800 && code <= 0xdfff) {
      out += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('')
    } else out += encodeURIComponent(text[i]!)
  }
  return out
}
