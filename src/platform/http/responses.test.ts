import { Type } from 'typebox'
import type { Grants } from '../auth/permissions.ts'
import { describe, expect, it } from 'vitest'
import { defineErrors, type ErrorSpec } from './error-catalog.ts'
import { liftProblemCodes } from './openapi-components.ts'
import { PlatformErrors } from './platform.errors.ts'
import { addPlatformResponses, errors, problemResponse, PROBLEM_CODES, type ErrorStatus } from './responses.ts'

const Example = defineErrors({
  TAKEN: { code: 'ECAR_ERR_TAKEN', status: 409, description: 'It is taken' },
  GONE: { code: 'ECAR_ERR_GONE', status: 409, description: 'It is gone' },
  WRONG: { code: 'ECAR_ERR_WRONG', status: 400, description: 'It is wrong' },
} as const)

/** The codes and description of one response of a response map. */
function listing(response: Record<string, unknown>, status: number) {
  const r = response[status] as { description: string; content: Record<string, Record<string, unknown>> } | undefined
  if (!r) return undefined
  return { codes: r.content['application/problem+json']![PROBLEM_CODES], description: r.description }
}

describe('errors()', () => {
  it('describes each problem with its code, and keeps the codes beside the problem schema', () => {
    const out = errors({ 409: [Example.TAKEN, Example.GONE] })
    expect(listing(out, 409)).toEqual({ codes: ['ECAR_ERR_TAKEN', 'ECAR_ERR_GONE'], description: 'It is taken (ECAR_ERR_TAKEN); It is gone (ECAR_ERR_GONE)' })
  })

  it('takes a route’s own wording of a problem', () => {
    const out = errors({ 429: [{ ...PlatformErrors.RATE_LIMITED, description: 'Too many sign-ins' }] })
    expect(listing(out, 429)?.description).toBe('Too many sign-ins (ECAR_ERR_RATE_LIMITED)')
  })

  it.each<[string, ErrorStatus, ErrorSpec[]]>([
    ['a spec of another status', 404, [Example.TAKEN]],
    ['no spec at all', 409, []],
  ])('refuses %s', (_case, status, specs) => {
    expect(() => problemResponse(status, specs)).toThrow(/OpenAPI/)
  })
})

describe('addPlatformResponses', () => {
  // thing:write is the admins' alone (so a 403 is possible); thing:read every role's (no 403).
  const PERMISSIONS = new Map<string, Grants>([['thing:write', { admin: 'any' }], ['thing:read', { customer: 'any', mechanic: 'any', advisor: 'any', admin: 'any' }]])

  it('lists no 403 for a permission every role holds', () => {
    const r = { ...route({}), config: { permission: 'thing:read' } }
    addPlatformResponses(r, PERMISSIONS)
    expect(Object.keys(r.schema.response)).not.toContain('403')
  })

  const route = (options: { url?: string; body?: boolean; params?: boolean; public?: boolean; restricted?: boolean; response?: Record<string, unknown> }) => ({
    url: options.url ?? '/api/things',
    method: 'POST',
    schema: {
      ...(options.body ? { body: Type.Object({}) } : {}),
      ...(options.params ? { params: Type.Object({}) } : {}),
      response: { 200: Type.Object({}), ...options.response },
    },
    config: { ...(options.public ? { public: true } : {}), ...(options.restricted ? { permission: 'thing:write' } : {}) },
  })
  const codesOf = (r: ReturnType<typeof route>) =>
    Object.fromEntries(Object.keys(r.schema.response).filter((s) => Number(s) >= 400).map((s) => [s, listing(r.schema.response, Number(s))!.codes]))

  it.each<[string, Parameters<typeof route>[0], Record<string, string[]>]>([
    ['a signed-in /api/ route without input', {}, { 401: ['ECAR_ERR_UNAUTHORIZED'], 503: ['ECAR_ERR_UNAVAILABLE'] }],
    ['a public route with params', { public: true, params: true }, { 400: ['ECAR_ERR_VALIDATION'], 503: ['ECAR_ERR_UNAVAILABLE'] }],
    [
      'a route with a body and a permission some role lacks',
      { body: true, restricted: true },
      {
        400: ['ECAR_ERR_VALIDATION', 'ECAR_ERR_INVALID_JSON'],
        401: ['ECAR_ERR_UNAUTHORIZED'],
        403: ['ECAR_ERR_FORBIDDEN'],
        413: ['ECAR_ERR_CTP_BODY_TOO_LARGE'],
        415: ['ECAR_ERR_CTP_INVALID_MEDIA_TYPE'],
        503: ['ECAR_ERR_UNAVAILABLE'],
      },
    ],
    ['a route outside /api/', { url: '/metrics', public: true }, {}],
    [
      'a route with its own 400: the platform’s codes follow its own',
      { url: '/metrics', public: true, body: true, response: errors({ 400: [Example.WRONG] }) },
      { 400: ['ECAR_ERR_WRONG', 'ECAR_ERR_VALIDATION', 'ECAR_ERR_INVALID_JSON'], 413: ['ECAR_ERR_CTP_BODY_TOO_LARGE'], 415: ['ECAR_ERR_CTP_INVALID_MEDIA_TYPE'] },
    ],
  ])('lists for %s the codes the platform can answer', (_case, options, expected) => {
    const r = route(options)
    addPlatformResponses(r, PERMISSIONS)
    expect(codesOf(r)).toEqual(expected)
  })

  it('keeps a route’s own wording of a platform code, once', () => {
    const r = route({ restricted: true, response: errors({ 403: [{ ...PlatformErrors.FORBIDDEN, description: 'A mechanic' }] }) })
    addPlatformResponses(r, PERMISSIONS)
    expect(listing(r.schema.response, 403)).toEqual({ codes: ['ECAR_ERR_FORBIDDEN'], description: 'A mechanic (ECAR_ERR_FORBIDDEN)' })
  })

  it('appends to the description what the platform adds', () => {
    const r = route({ url: '/metrics', public: true, body: true, response: errors({ 400: [Example.WRONG] }) })
    addPlatformResponses(r)
    expect(listing(r.schema.response, 400)?.description).toBe(
      'It is wrong (ECAR_ERR_WRONG); The request is malformed or invalid; errors lists each bad field (ECAR_ERR_VALIDATION); The body is not valid JSON (ECAR_ERR_INVALID_JSON)',
    )
  })
})

describe('liftProblemCodes', () => {
  it('moves the codes from the media type onto the response, and lists the any-request codes at the root', () => {
    const media = { schema: { $ref: '#/components/schemas/Problem' }, [PROBLEM_CODES]: ['ECAR_ERR_TAKEN'] }
    const document = { paths: { '/x': { post: { responses: { 409: { description: 'd', content: { 'application/problem+json': media } } } } } } }
    expect(liftProblemCodes(document, ['ECAR_ERR_INTERNAL'])).toEqual({
      paths: {
        '/x': {
          post: {
            responses: { 409: { description: 'd', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } }, [PROBLEM_CODES]: ['ECAR_ERR_TAKEN'] } },
          },
        },
      },
      [PROBLEM_CODES]: ['ECAR_ERR_INTERNAL'],
    })
  })
})
