import { isUtf8 } from 'node:buffer'
import type { FastifyInstance } from 'fastify'
import { invalidInput, problem } from './errors.ts'
import { PlatformErrors } from './platform.errors.ts'

// A lone UTF-16 surrogate: PostgreSQL would store it as U+FFFD, silently changing the text.
const LONE_SURROGATE = /\p{Surrogate}/u

/** Why a parsed body is refused: the first forbidden key, NUL or lone surrogate, with its field path. */
export function refusedContent(value: unknown): { field: string; message: string } | undefined {
  // Iterative: a body of 10,000 nested arrays must not exhaust the stack.
  const stack: [unknown, string][] = [[value, 'body']]
  while (stack.length > 0) {
    const [node, path] = stack.pop()!
    if (typeof node === 'string') {
      if (node.includes('\u0000')) return { field: path, message: 'must not contain the NUL character (U+0000)' }
      if (LONE_SURROGATE.test(node)) return { field: path, message: 'must not contain a lone UTF-16 surrogate (\\uD800-\\uDFFF)' }
    } else if (Array.isArray(node)) {
      node.forEach((item, i) => stack.push([item, `${path}.${i}`]))
    } else if (typeof node === 'object' && node !== null) {
      for (const [key, item] of Object.entries(node)) {
        const field = `${path}.${key}`
        // Keys that reach Object.prototype when a body is merged into another object.
        if (key === '__proto__') return { field, message: 'is refused: a __proto__ key could change the object prototype' }
        if (key === 'constructor' && typeof item === 'object' && item !== null && 'prototype' in item) {
          return { field: `${field}.prototype`, message: 'is refused: constructor.prototype could change the object prototype' }
        }
        if (LONE_SURROGATE.test(key) || key.includes('\u0000')) return { field: path, message: 'has a key with a NUL or a lone surrogate' }
        stack.push([item, field])
      }
    }
  }
  return undefined
}

/**
 * The JSON body parser. Unlike Fastify's it takes an empty body as no body (many clients send
 * `Content-Type: application/json` on a DELETE or a logout), and it names what it refuses: invalid
 * UTF-8, a `__proto__` key, a NUL or a lone surrogate, each a 400 with the field, before any handler.
 */
export function registerJsonParser(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, raw, done) => {
    const buffer = raw as Buffer
    if (buffer.length === 0) return done(null, undefined)
    if (!isUtf8(buffer)) return done(invalidInput('The body is not valid UTF-8.', [{ field: 'body', message: 'is not valid UTF-8' }]))
    let parsed: unknown
    try {
      parsed = JSON.parse(buffer.toString('utf8'))
    } catch {
      // V8's message quotes the body, which may hold a password: not echoed.
      return done(problem(PlatformErrors.INVALID_JSON, 'The body is not valid JSON.', { errors: [] }))
    }
    const refused = refusedContent(parsed)
    if (refused) return done(invalidInput(`The body is refused: ${refused.field} ${refused.message}.`, [refused]))
    return done(null, parsed)
  })
}
