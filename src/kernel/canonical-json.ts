// A canonical JSON in the manner of RFC 8785 (JCS): one value, one string, so a hash of it means the same to
// every client that rebuilds it. The choices, each stricter than JSON.stringify where that one is lenient:
// - object members sorted by their keys' UTF-16 code units (plain Array#sort on strings, as RFC 8785 §3.2.3);
// - no whitespace at all;
// - numbers in ECMAScript's shortest round-trip form (Number#toString, RFC 8785 §3.2.2.3): 1, 1.5, 1e+21,
//   0.30000000000000004; -0 is written 0 (as JSON.stringify and JCS do);
// - strings escaped as JSON.stringify escapes them (", \, and controls below U+0020 as \b \t \n \f \r or \u00xx),
//   everything else as is, which is what RFC 8785 §3.2.2.2 prescribes;
// - refused with CanonicalJsonError, where JSON.stringify would drop, convert or guess: NaN and ±Infinity,
//   undefined (also as a member's value: a missing field must be absent, not undefined), functions, symbols,
//   BigInt, lone surrogates (not I-JSON, and UTF-8 would turn them into U+FFFD, so two strings would collide),
//   symbol keys, array holes, cycles, and any object that is not a plain object or an array (Date, Map,
//   class instances: their toJSON or lack of one would decide the output).

/** Thrown for a value that has no canonical JSON; `path` says where (`$.jobs[0].lines[2].quantity`). */
export class CanonicalJsonError extends Error {
  readonly path: string

  constructor(path: string, detail: string) {
    super(`${path}: ${detail}`)
    this.name = 'CanonicalJsonError'
    this.path = path
  }
}

/** A value canonicalJson accepts. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue }

const LONE_SURROGATE = /\p{Cs}/u

function string(value: string, path: string): string {
  if (LONE_SURROGATE.test(value)) throw new CanonicalJsonError(path, 'a string holds a lone surrogate')
  return JSON.stringify(value)
}

function number(value: number, path: string): string {
  if (!Number.isFinite(value)) throw new CanonicalJsonError(path, `${value} is not a JSON number`)
  // Object.is(-0, 0) is false, and String(-0) is already "0": writing it out keeps the rule visible.
  return value === 0 ? '0' : String(value)
}

function isPlainObject(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null
}

function serialise(value: unknown, path: string, open: Set<object>): string {
  switch (typeof value) {
    case 'string':
      return string(value, path)
    case 'number':
      return number(value, path)
    case 'boolean':
      return value ? 'true' : 'false'
    case 'object':
      break
    default:
      throw new CanonicalJsonError(path, `a ${typeof value} is not a JSON value`)
  }
  if (value === null) return 'null'
  if (open.has(value)) throw new CanonicalJsonError(path, 'the value contains itself')
  open.add(value)
  try {
    if (Array.isArray(value)) {
      const items: string[] = []
      for (let i = 0; i < value.length; i += 1) {
        if (!(i in value)) throw new CanonicalJsonError(`${path}[${i}]`, 'an array has a hole')
        items.push(serialise(value[i], `${path}[${i}]`, open))
      }
      return `[${items.join(',')}]`
    }
    if (!isPlainObject(value)) throw new CanonicalJsonError(path, 'only plain objects and arrays are JSON objects here')
    if (Object.getOwnPropertySymbols(value).length > 0) throw new CanonicalJsonError(path, 'an object has a symbol key')
    const record = value as Record<string, unknown>
    const members = Object.keys(record)
      .sort()
      .map((key) => `${string(key, `${path}.${key}`)}:${serialise(record[key], `${path}.${key}`, open)}`)
    return `{${members.join(',')}}`
  } finally {
    open.delete(value)
  }
}

/**
 * The canonical JSON text of a value (RFC 8785 style, see the top of this file): sorted keys, no whitespace,
 * shortest numbers. Throws CanonicalJsonError for anything that is not plain JSON data.
 */
export function canonicalJson(value: unknown): string {
  return serialise(value, '$', new Set())
}
