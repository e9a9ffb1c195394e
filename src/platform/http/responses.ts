/**
 * Building blocks of route `response` schemas, so that every operation of the OpenAPI document says
 * what it returns, with which headers, and which errors it can give (docs/architecture.md, "OpenAPI
 * conventions"). The errors the platform itself causes are added by `addPlatformResponses`.
 */
import { Type, type TSchema } from 'typebox'
import type { Grants } from '../auth/permissions.ts'
import { ROLES } from '../auth/roles.ts'
import type { ErrorSpec } from './error-catalog.ts'
import { PlatformErrors } from './platform.errors.ts'
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

/** The problems a route can answer with, by status; the type refuses a spec listed under another status. */
export type RouteErrors = { readonly [S in ErrorStatus]?: readonly (ErrorSpec & { readonly status: S })[] }

/**
 * The OpenAPI extension listing the codes an error response can carry. Routes put it beside the
 * problem schema (@fastify/swagger copies a response's description, headers and content only); the
 * OpenAPI plugin lifts it onto the response object of the served document.
 */
export const PROBLEM_CODES = 'x-problem-codes'

const PROBLEM_JSON = 'application/problem+json'

/** A problem+json error response as route schemas hold it. */
export interface ProblemResponse {
  description: string
  headers?: Record<string, unknown>
  content: { [PROBLEM_JSON]: { schema: TSchema; [PROBLEM_CODES]: string[] } }
}

/** What a response that can carry these problems says: each one's description with its code. */
export function describeProblems(specs: readonly ErrorSpec[]): string {
  return specs.map((spec) => `${spec.description} (${spec.code})`).join('; ')
}

/** One problem+json error response for these problems: ValidationProblem for a 400, Problem otherwise; 429 and 503 carry Retry-After. */
export function problemResponse(status: ErrorStatus, specs: readonly ErrorSpec[]): ProblemResponse {
  if (specs.length === 0) throw new Error(`OpenAPI: a ${status} response names no problem code`)
  for (const spec of specs) if (spec.status !== status) throw new Error(`OpenAPI: ${spec.code} is a ${spec.status}, listed as a ${status}`)
  const schema = status === 400 ? ValidationProblemSchema : ProblemSchema
  return {
    description: describeProblems(specs),
    ...pickHeaders(status === 429 || status === 503 ? ['Retry-After'] : []),
    content: { [PROBLEM_JSON]: { schema, [PROBLEM_CODES]: specs.map((spec) => spec.code) } },
  }
}

/**
 * The errors a route can give beyond those the platform adds (see `addPlatformResponses`), each as
 * problem+json naming its codes: `errors({ 404: [VehicleErrors.VEHICLE_NOT_FOUND], 409: [VehicleErrors.DUPLICATE_VIN] })`.
 * A route's own wording of a problem is the spec with another description: `{ ...PlatformErrors.RATE_LIMITED, description: '…' }`.
 */
export function errors(listing: RouteErrors): Partial<Record<ErrorStatus, ProblemResponse>> {
  const out: Partial<Record<ErrorStatus, ProblemResponse>> = {}
  for (const [status, specs] of Object.entries(listing)) out[Number(status) as ErrorStatus] = problemResponse(Number(status) as ErrorStatus, specs)
  return out
}

/** The response with these problems added: a new one, or a route's own problem response with the codes it lacks appended. */
function withProblems(existing: unknown, status: ErrorStatus, specs: readonly ErrorSpec[]): unknown {
  if (existing === undefined) return problemResponse(status, specs)
  const media = (existing as Partial<ProblemResponse>).content?.[PROBLEM_JSON]
  // A response of the route's own making (not problem+json with codes) is kept as it is.
  if (!Array.isArray(media?.[PROBLEM_CODES])) return existing
  const missing = specs.filter((spec) => !media[PROBLEM_CODES].includes(spec.code))
  if (missing.length === 0) return existing
  const response = existing as ProblemResponse
  return {
    ...response,
    description: `${response.description}; ${describeProblems(missing)}`,
    content: { [PROBLEM_JSON]: { ...media, [PROBLEM_CODES]: [...media[PROBLEM_CODES], ...missing.map((spec) => spec.code)] } },
  }
}

/** What the platform answers with at each status it adds. */
const PLATFORM_PROBLEMS: Partial<Record<ErrorStatus, readonly ErrorSpec[]>> = {
  400: [PlatformErrors.VALIDATION],
  401: [PlatformErrors.UNAUTHORIZED],
  403: [PlatformErrors.FORBIDDEN],
  413: [PlatformErrors.CTP_BODY_TOO_LARGE],
  415: [PlatformErrors.CTP_INVALID_MEDIA_TYPE],
  503: [PlatformErrors.UNAVAILABLE],
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
 * GETs, the cache headers and the 304. Each names its codes; where the route declares the status
 * itself, the platform's codes the route did not list are appended to its own.
 */
export function addPlatformResponses(route: RouteShape, permissions: ReadonlyMap<string, Grants> = new Map()): void {
  const schema = route.schema
  if (!schema || schema.hide || !schema.response) return
  // A copy: the module's schema objects may be shared between routes.
  const response: Record<string, unknown> = { ...schema.response }
  schema.response = response
  const add = (status: ErrorStatus, specs = PLATFORM_PROBLEMS[status]!) => {
    response[status] = withProblems(response[status], status, specs)
  }
  if (schema.params || schema.querystring || schema.body) add(400)
  if (schema.body) {
    add(400, [PlatformErrors.INVALID_JSON])
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
