/**
 * Building blocks of route `response` schemas, so that every operation of the OpenAPI document says
 * what it returns, with which headers, and which errors it can give (docs/architecture.md, "OpenAPI
 * conventions"). The errors the platform itself causes are added by `addPlatformResponses`.
 */
import { Type, type TSchema } from 'typebox'
import type { Grants } from '../auth/permissions.ts'
import { ROLES } from '../auth/roles.ts'
import { ProblemSchema, ValidationProblemSchema } from './problem.schemas.ts'

// As @fastify/swagger wants them: the header's schema, whose description becomes the header's.
const HEADERS = {
  Location: { description: 'The path of the created resource', type: 'string', examples: ['/api/vehicles/42'] },
  'X-Cache': {
    description: 'How the cache answered: HIT, MISS, STALE (served while the source is down) or BYPASS (caching off)',
    type: 'string',
    enum: ['HIT', 'MISS', 'STALE', 'BYPASS'],
  },
  ETag: { description: 'Entity tag of the body; send it back as If-None-Match for a 304', type: 'string' },
  'Cache-Control': { description: 'private, no-cache: personal data, revalidated on every use', type: 'string' },
  'Retry-After': { description: 'Seconds after which to try again', type: 'integer', minimum: 0 },
} as const

/** A response header the helpers can document. */
export type HeaderName = keyof typeof HEADERS

function pickHeaders(names: readonly HeaderName[]) {
  return names.length === 0 ? {} : { headers: Object.fromEntries(names.map((name) => [name, HEADERS[name]])) }
}

/**
 * A JSON success response: the body schema itself (the response cache serializes with it, and
 * Fastify's `reply.serialize` cannot pick among `content` types), with the response's description
 * and headers in the keys @fastify/swagger moves out of the schema.
 */
export function success<T extends TSchema>(description: string, schema: T, headers: readonly HeaderName[] = []): T {
  return { ...schema, 'x-response-description': description, ...pickHeaders(headers) }
}

/** A 201 response: the created object, with its Location. */
export const created = <T extends TSchema>(description: string, schema: T) => success(description, schema, ['Location'])

/** A response without a body (204). */
export const noContent = (description: string) => Type.Null({ description })

/** The headers of a response served through a cache (X-Cache, ETag, Cache-Control). */
export const CACHED_HEADERS: readonly HeaderName[] = ['X-Cache', 'ETag', 'Cache-Control']

/** The error statuses a route can declare. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 406 | 409 | 410 | 413 | 415 | 422 | 429 | 503

const DEFAULT_ERROR_TEXT: Record<ErrorStatus, string> = {
  400: 'The request is malformed or invalid; errors lists each bad field',
  401: 'No bearer token, or one whose session has ended',
  403: 'Signed in, but this role may not do this',
  404: 'Not found, or not visible to the caller',
  406: 'The requested media type cannot be produced',
  409: 'The request conflicts with the current state',
  410: 'The link was used or has expired',
  413: 'The body is larger than BODY_LIMIT_BYTES',
  415: 'The body is not JSON: send it with Content-Type: application/json',
  422: 'The request is well-formed but cannot be processed',
  429: 'Too many requests; retry after Retry-After seconds',
  503: 'A dependency this request needs (the database) is down; retry after Retry-After seconds',
}

/** One problem+json error response: ValidationProblem for a 400, Problem otherwise; 429 and 503 carry Retry-After. */
export function problemResponse(status: ErrorStatus, description = DEFAULT_ERROR_TEXT[status]) {
  const schema = status === 400 ? ValidationProblemSchema : ProblemSchema
  return { description, ...pickHeaders(status === 429 || status === 503 ? ['Retry-After'] : []), content: { 'application/problem+json': { schema } } }
}

/**
 * The errors a route can give beyond those the platform adds (see `addPlatformResponses`), each as
 * problem+json: `errors(404, { 409: 'The VIN belongs to another vehicle' })`.
 */
export function errors(...items: (ErrorStatus | Partial<Record<ErrorStatus, string>>)[]) {
  const out: Partial<Record<ErrorStatus, ReturnType<typeof problemResponse>>> = {}
  for (const item of items) {
    if (typeof item === 'number') out[item] = problemResponse(item)
    else for (const [status, text] of Object.entries(item)) out[Number(status) as ErrorStatus] = problemResponse(Number(status) as ErrorStatus, text)
  }
  return out
}

interface RouteShape {
  url: string
  method: string | string[]
  schema?: Record<string, unknown> & { response?: Record<string, unknown>; hide?: boolean }
  config?: { public?: boolean; permission?: string; cache?: unknown }
}

/**
 * Adds to a route's response schemas the errors the platform causes, so a module declares only its
 * own: 400 for any validated input, 413 and 415 for a body, 401 and 503 (session lookup, database)
 * for /api/ routes, 401 for signed-in ones, 403 for those whose permission some role lacks; and, for response-cached
 * GETs, the cache headers and the 304. A status the route declares itself keeps its own text.
 */
export function addPlatformResponses(route: RouteShape, permissions: ReadonlyMap<string, Grants> = new Map()): void {
  const schema = route.schema
  if (!schema || schema.hide || !schema.response) return
  // A copy: the module's schema objects may be shared between routes.
  const response: Record<string, unknown> = { ...schema.response }
  schema.response = response
  const add = (status: ErrorStatus) => {
    response[status] ??= problemResponse(status)
  }
  if (schema.params || schema.querystring || schema.body) add(400)
  if (schema.body) {
    add(413)
    add(415)
  }
  if (route.url.startsWith('/api/')) {
    if (route.config?.public !== true) add(401)
    const grants = route.config?.permission === undefined ? undefined : permissions.get(route.config.permission)
    if (grants && ROLES.some((role) => grants[role] === undefined)) add(403)
    add(503)
  }
  if (route.config?.cache) {
    const ok = response[200] as { headers?: unknown } | undefined
    if (ok && !ok.headers) response[200] = { ...ok, ...pickHeaders(CACHED_HEADERS) }
    response[304] ??= Type.Null({ description: 'Not modified: the If-None-Match tag is current', headers: pickHeaders(['ETag', 'X-Cache']).headers })
  }
}
