import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { canonicalJson, CanonicalJsonError } from './canonical-json.ts'

const pathOf = (value: unknown) => {
  try {
    canonicalJson(value)
  } catch (error) {
    if (error instanceof CanonicalJsonError) return error.path
    throw error
  }
  return 'no error'
}

describe('canonicalJson', () => {
  it.each<[string, unknown, string]>([
    ['null', null, 'null'],
    ['true', true, 'true'],
    ['false', false, 'false'],
    ['zero', 0, '0'],
    ['minus zero, written 0', -0, '0'],
    ['an integer', 1, '1'],
    ['a decimal', 1.5, '1.5'],
    ['a negative decimal', -1.5, '-1.5'],
    ['1e21 in exponent form', 1e21, '1e+21'],
    ['1e20 in full', 1e20, '100000000000000000000'],
    ['1e-7 in exponent form', 1e-7, '1e-7'],
    ['0.000001 in full', 0.000001, '0.000001'],
    ['0.1 + 0.2 as the double it is', 0.1 + 0.2, '0.30000000000000004'],
    ['2^53', 2 ** 53, '9007199254740992'],
    ['the smallest double', Number.MIN_VALUE, '5e-324'],
    ['the largest double', Number.MAX_VALUE, '1.7976931348623157e+308'],
    ['a plain string', 'abc', '"abc"'],
    ['quote and backslash', 'a"b\\c', '"a\\"b\\\\c"'],
    ['controls, short forms and \\u00xx in lowercase', '\u0000\b\t\n\f\r\u001f', '"\\u0000\\b\\t\\n\\f\\r\\u001f"'],
    ['DEL, non-ASCII, U+2028 and an emoji as is', '\u007fé€\u2028😀', '"\u007fé€\u2028😀"'],
    ['an empty array', [], '[]'],
    ['an empty object', {}, '{}'],
    ['arrays keep their order', [3, 1, 2], '[3,1,2]'],
    ['nested, no whitespace', { b: [1, { d: null, c: 'x' }], a: true }, '{"a":true,"b":[1,{"c":"x","d":null}]}'],
    ['integer-like keys sorted as strings', { 10: 'a', 9: 'b', 1: 'c' }, '{"1":"c","10":"a","9":"b"}'],
    ['an object without a prototype', Object.assign(Object.create(null) as object, { b: 1, a: 2 }), '{"a":2,"b":1}'],
  ])('writes %s', (_name, value, expected) => {
    expect(canonicalJson(value)).toBe(expected)
  })

  it('sorts keys by UTF-16 code units (the RFC 8785 §3.2.3 example)', () => {
    const value = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    }
    // By code point the emoji (U+1F600) would come last; by UTF-16 code units (0xD83D) it comes before U+FB33.
    const order = ['Carriage Return', 'One', 'Control', 'Latin Small Letter O With Diaeresis', 'Euro Sign', 'Emoji: Grinning Face', 'Hebrew Letter Dalet With Dagesh']
    expect([...canonicalJson(value).matchAll(/":"([^"]+)"/g)].map((m) => m[1])).toEqual(order)
  })

  it('does not depend on the order keys were set in', () => {
    expect(canonicalJson({ a: 1, b: { y: 2, x: 3 } })).toBe(canonicalJson({ b: { x: 3, y: 2 }, a: 1 }))
  })

  it('accepts one object reached twice (not a cycle)', () => {
    const shared = { n: 1 }
    expect(canonicalJson([shared, { again: shared }])).toBe('[{"n":1},{"again":{"n":1}}]')
  })

  // [1, , 3] without the sparse literal lint forbids.
  const holey = () => Object.assign(new Array<number>(3), { 0: 1, 2: 3 })
  class Point {
    x = 1
  }
  const cycle: Record<string, unknown> = { a: 1 }
  cycle.self = { back: cycle }
  it.each<[string, unknown, string]>([
    ['NaN', Number.NaN, '$'],
    ['Infinity', Number.POSITIVE_INFINITY, '$'],
    ['-Infinity inside', { a: [1, Number.NEGATIVE_INFINITY] }, '$.a[1]'],
    ['undefined', undefined, '$'],
    ['a member set to undefined', { a: 1, b: undefined }, '$.b'],
    ['undefined in an array', [undefined], '$[0]'],
    ['a function', { f: () => 1 }, '$.f'],
    ['a symbol', Symbol('s'), '$'],
    ['a BigInt', { n: 1n }, '$.n'],
    ['a lone high surrogate', 'a\ud800', '$'],
    ['a lone low surrogate in a key', { '\udc00': 1 }, '$.\udc00'],
    ['a hole', holey(), '$[1]'],
    ['a cycle', cycle, '$.self.back'],
    ['a Date', { at: new Date(0) }, '$.at'],
    ['a Map', new Map([['a', 1]]), '$'],
    ['a class instance', new Point(), '$'],
    ['a symbol key', { [Symbol('k')]: 1, a: 1 }, '$'],
  ])('refuses %s, saying where', (_name, value, path) => {
    expect(pathOf(value)).toBe(path)
  })

  it('names a hole as a hole (not as undefined)', () => {
    expect(() => canonicalJson(holey())).toThrow('$[1]: an array has a hole')
  })

  it('reads back as the same data, and is a fixed point', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value)
        // JSON.stringify writes -0 as 0 too, so a stringify/parse round trip is the data canonicalJson must keep.
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)))
        expect(canonicalJson(JSON.parse(text))).toBe(text)
      }),
    )
  })

  it('agrees with JSON.stringify wherever that has no freedom (no objects)', () => {
    const leaf = fc.oneof(fc.constant(null), fc.boolean(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string({ unit: 'binary' }))
    const tree = fc.oneof(leaf, fc.array(fc.oneof(leaf, fc.array(leaf, { maxLength: 5 })), { maxLength: 8 }))
    fc.assert(fc.property(tree, (value) => canonicalJson(value) === JSON.stringify(value)))
  })

  it('gives the same text whatever order the keys were inserted in', () => {
    const entries = fc.uniqueArray(fc.tuple(fc.string({ unit: 'binary' }), fc.jsonValue()), { selector: ([key]) => key, maxLength: 8 })
    const twoOrders = entries.chain((list) => fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length })))
    fc.assert(
      fc.property(twoOrders, ([list, shuffled]) => {
        const build = (pairs: [string, unknown][]) => {
          const object: Record<string, unknown> = {}
          for (const [key, value] of pairs) Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true })
          return object
        }
        expect(canonicalJson(build(shuffled))).toBe(canonicalJson(build(list)))
      }),
    )
  })
})
