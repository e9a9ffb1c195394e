/*
 * The problems the platform itself answers with, whatever the module: validation, authentication,
 * the body parser, limits, a database that is down, and what is refused before any route runs.
 * Modules raise their own from their `<module>.errors.ts`; one code lives in one catalogue
 * (test/architecture/error-codes.test.ts).
 */
import { defineErrors, type ErrorSpec } from './error-catalog.ts'

/** The platform's catalogue. */
export const PlatformErrors = defineErrors({
  // What a route can answer (addPlatformResponses lists them on the routes they apply to).
  VALIDATION: { code: 'ECAR_ERR_VALIDATION', status: 400, description: 'The request is malformed or invalid; errors lists each bad field' },
  INVALID_JSON: { code: 'ECAR_ERR_INVALID_JSON', status: 400, description: 'The body is not valid JSON' },
  UNAUTHORIZED: { code: 'ECAR_ERR_UNAUTHORIZED', status: 401, description: 'No bearer token, or one whose session has ended' },
  FORBIDDEN: { code: 'ECAR_ERR_FORBIDDEN', status: 403, description: 'Signed in, but this role may not do this' },
  IDEMPOTENCY_KEY_REUSED: { code: 'ECAR_ERR_IDEMPOTENCY_KEY_REUSED', status: 422, description: 'The Idempotency-Key came with another request body' },
  // Every status machine's refusal (appointments, work orders): one code, with `allowed` from the machine's table.
  ILLEGAL_TRANSITION: {
    code: 'ECAR_ERR_ILLEGAL_TRANSITION',
    status: 409,
    description: 'The status cannot move there from the current one for this caller; `allowed` lists where it can',
  },
  CTP_BODY_TOO_LARGE: { code: 'ECAR_ERR_CTP_BODY_TOO_LARGE', status: 413, description: 'The body is larger than BODY_LIMIT_BYTES' },
  CTP_INVALID_MEDIA_TYPE: {
    code: 'ECAR_ERR_CTP_INVALID_MEDIA_TYPE',
    status: 415,
    description: 'The body is not JSON: send it with Content-Type: application/json',
  },
  RATE_LIMITED: { code: 'ECAR_ERR_RATE_LIMITED', status: 429, description: 'Too many requests; retry after Retry-After seconds' },
  UNAVAILABLE: {
    code: 'ECAR_ERR_UNAVAILABLE',
    status: 503,
    description: 'A dependency this request needs (the database) is down; retry after Retry-After seconds',
  },
  // What any request can get, before or beside its route (listed once, at the OpenAPI document's root).
  ROUTE_NOT_FOUND: { code: 'ECAR_ERR_ROUTE_NOT_FOUND', status: 404, description: 'No route has this method and path' },
  BAD_URL: { code: 'ECAR_ERR_BAD_URL', status: 400, description: 'The URL is malformed (a bad percent-encoding)' },
  MAX_PARAM_LENGTH: { code: 'ECAR_ERR_MAX_PARAM_LENGTH', status: 414, description: 'A part of the URL is too long' },
  MALFORMED_REQUEST: { code: 'ECAR_ERR_MALFORMED_REQUEST', status: 400, description: 'The request is not valid HTTP' },
  REQUEST_TIMEOUT: { code: 'ECAR_ERR_REQUEST_TIMEOUT', status: 408, description: 'The request did not arrive in time' },
  HEADERS_TOO_LARGE: { code: 'ECAR_ERR_HEADERS_TOO_LARGE', status: 431, description: 'The request headers are too large' },
  BAD_REQUEST: { code: 'ECAR_ERR_BAD_REQUEST', status: 400, description: 'A client error without a more specific code' },
  // A delete of a row others still reference, or a reference to a row deleted meanwhile (the database's foreign keys).
  STILL_REFERENCED: { code: 'ECAR_ERR_STILL_REFERENCED', status: 409, description: 'Other records still refer to this one (or it refers to one that is gone)' },
  INTERNAL: { code: 'ECAR_ERR_INTERNAL', status: 500, description: 'An internal error; it has been logged, its details are not shown' },
} as const)

/** The platform's problems any request can get whatever its route: the OpenAPI document lists them once, at its root. */
export const ANY_REQUEST_ERRORS: readonly ErrorSpec[] = [
  PlatformErrors.ROUTE_NOT_FOUND,
  PlatformErrors.BAD_URL,
  PlatformErrors.MAX_PARAM_LENGTH,
  PlatformErrors.MALFORMED_REQUEST,
  PlatformErrors.REQUEST_TIMEOUT,
  PlatformErrors.HEADERS_TOO_LARGE,
  PlatformErrors.BAD_REQUEST,
  PlatformErrors.STILL_REFERENCED,
  PlatformErrors.INTERNAL,
]

/**
 * The code of a client error Fastify raised (`FST_ERR_CTP_BODY_TOO_LARGE` → `ECAR_ERR_CTP_BODY_TOO_LARGE`,
 * catalogued above); one without a Fastify code is BAD_REQUEST. Fastify errors not catalogued here keep
 * their derived code, so a Fastify upgrade cannot turn a client error into an unnamed one.
 */
export function fastifyErrorCode(fastifyCode: string | undefined): string {
  return fastifyCode?.startsWith('FST_ERR_') ? `ECAR_ERR_${fastifyCode.slice(8)}` : PlatformErrors.BAD_REQUEST.code
}

/** The code of an error the router raised before any route ran (`FST_ERR_BAD_URL` → `ECAR_ERR_BAD_URL`). */
export function frameworkErrorCode(fastifyCode: string | undefined): string {
  return `ECAR_ERR_${(fastifyCode ?? 'BAD_URL').replace(/^FST_ERR_/, '')}`
}
