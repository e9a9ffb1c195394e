import { hash as cryptoHash } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from '../config.ts'
import type { Principal } from '../auth/principal.ts'
import type { CacheEntryOptions, CacheStatus } from './cache.types.ts'
import type { ResponseCacheRouteOptions } from './response-cache.types.ts'
import './response-cache.types.ts'

/** A cached 200 response: the serialised body and its entity tag. */
interface CachedResponse {
  body: string
  etag: string
}

// One-shot: a third of the cost of createHash().update().digest(); it runs on every data-cached 200.
const hash = (text: string) => cryptoHash('sha1', text, 'base64url').slice(0, 22)

function sortedJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? ''
  const record = value as Record<string, unknown>
  const keys = Object.keys(record)
  // Most cached URLs have no parameters or one: skip the sort and the joins (this runs on every hit).
  if (keys.length === 0) return '{}'
  if (keys.length > 1) keys.sort()
  let text = '{'
  for (let i = 0; i < keys.length; i++) text += `${i > 0 ? ',' : ''}${JSON.stringify(keys[i])}:${sortedJson(record[keys[i]!])}`
  return `${text}}`
}

/**
 * The logical key of a per-user response: namespace, principal (user id AND role, so a role change
 * can never be served the old role's view) and the route, path parameters and validated, key-sorted
 * query (hashed when long). Two users never share a key, whatever headers they send.
 */
export function responseKey(namespace: string, principal: Principal, request: FastifyRequest, withQuery = true): string {
  const route = request.routeOptions.url ?? ''
  // A route without a query schema ignores its query: `?junk=1`, `?junk=2`… must not be new entries.
  const variant = `${route}|${sortedJson(request.params)}|${withQuery ? sortedJson(request.query) : '{}'}`
  // Short variants stay readable in Redis (and skip a hash per request); long ones are hashed.
  return `${namespace}_u${principal.userId}_${principal.role}_${variant.length <= 160 ? variant : hash(variant)}`
}

function namesAny(query: unknown, names: readonly string[]): boolean {
  const record = query as Record<string, unknown> | undefined
  return record !== undefined && names.some((name) => record[name] !== undefined)
}

function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false
  if (header.trim() === '*') return true
  return header.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === etag)
}

function send(request: FastifyRequest, reply: FastifyReply, cached: CachedResponse, status: CacheStatus) {
  void reply.header('x-cache', status).header('etag', cached.etag)
  if (matchesEtag(request.headers['if-none-match'], cached.etag)) return reply.code(304).send()
  return reply.type('application/json; charset=utf-8').send(cached.body)
}

/** How a cached route's query may vary its key, read from its querystring schema at registration. */
interface QueryShape {
  /** Whether the route declares a query at all (otherwise the query is not part of the key). */
  keyed: boolean
  /** Free-text parameters (searches): a request naming one is not cached, each text would be an entry. */
  freeText: readonly string[]
}

/**
 * Reads the query shape of a cached route, and refuses one whose query schema admits unknown
 * parameters: each would be a new cache entry for the same answer (a bound on what one user can make
 * the cache hold).
 */
export function queryShape(url: string, schema: unknown): QueryShape {
  if (schema === undefined) return { keyed: false, freeText: [] }
  const object = schema as { additionalProperties?: unknown; properties?: Record<string, { type?: unknown; enum?: unknown; format?: unknown; pattern?: unknown }> }
  if (object.additionalProperties !== false) throw new Error(`response cache on ${url}: its querystring schema must set additionalProperties: false`)
  const freeText = Object.entries(object.properties ?? {})
    .filter(([name, p]) => name !== 'cursor' && p.type === 'string' && p.enum === undefined && p.format === undefined && p.pattern === undefined)
    .map(([name]) => name)
  return { keyed: true, freeText }
}

function wrap(app: FastifyInstance, config: Config, options: ResponseCacheRouteOptions, handler: RouteHandlerMethod, query: QueryShape): RouteHandlerMethod {
  const ttlMs = options.ttlMs ?? config.cache.responseTtlMs
  // Not async: a hit in the in-process tier is answered without a promise (Fastify accepts a handler
  // that has sent and returns undefined); everything else takes the async path below.
  return function cachedHandler(this: FastifyInstance, request, reply) {
    // Per-user responses: browsers and proxies may keep them for this user only, and must revalidate.
    void reply.header('cache-control', 'private, no-cache').header('vary', 'Authorization')
    const principal = request.principal
    // Authentication ran in onRequest, before this handler: a revoked token never reaches the cache.
    if (!principal || !app.cache.enabled || (query.freeText.length > 0 && namesAny(request.query, query.freeText))) {
      void reply.header('x-cache', 'BYPASS')
      return handler.call(this, request, reply)
    }
    const key = responseKey(options.namespace, principal, request, query.keyed)
    const hit = app.cache.peek<CachedResponse>(key, options.namespace)
    if (hit !== undefined) {
      send(request, reply, hit, 'HIT')
      return undefined
    }
    return lookupOrLoad.call(this, request, reply, key)
  }

  async function lookupOrLoad(this: FastifyInstance, request: FastifyRequest, reply: FastifyReply, key: string) {
    const entry: CacheEntryOptions = { namespace: options.namespace, ttlMs, tags: options.tags(request) }
    const found = await app.cache.lookup<CachedResponse>(key, entry)
    if (found.status === 'HIT') return send(request, reply, found.value!, 'HIT')

    // Concurrent misses of the same user and URL run the handler once in this process.
    const flight = app.cache.singleFlight(key, entry.tags, async () => {
      const payload: unknown = await handler.call(this, request, reply)
      if (reply.sent || reply.statusCode !== 200) return { payload, cached: undefined }
      const serialized = typeof payload === 'string' ? payload : reply.serialize(payload)
      const body = typeof serialized === 'string' ? serialized : Buffer.from(serialized as ArrayBuffer).toString('utf8')
      const cached: CachedResponse = { body, etag: `"${hash(body)}"` }
      await found.commit(cached)
      return { payload, cached }
    })
    let outcome: Awaited<typeof flight>
    try {
      outcome = await flight
    } catch (error) {
      // The database is down: an entry no write has touched still shows the last acknowledged state.
      const stale = app.cache.staleFor(found, error, entry)
      if (stale) return send(request, reply, stale.value, 'STALE')
      throw error
    }
    const { value, joined } = outcome
    if (value.cached) return send(request, reply, value.cached, 'MISS')
    if (!joined) {
      void reply.header('x-cache', 'MISS')
      return value.payload
    }
    // The shared run produced nothing cacheable for us: answer this request on its own.
    void reply.header('x-cache', 'MISS')
    return handler.call(this, request, reply)
  }
}

/** Honours `config: { cache: { … } }` on GET routes: per-user response caching with ETags. */
export const responseCachePlugin = fp(
  async (app: FastifyInstance, opts: { config: Config }) => {
    app.addHook('onRoute', (route) => {
      const options = route.config?.cache
      if (!options) return
      const methods = Array.isArray(route.method) ? route.method : [route.method]
      if (methods.some((m) => m !== 'GET' && m !== 'HEAD')) throw new Error(`response cache on a non-GET route: ${route.url}`)
      route.handler = wrap(app, opts.config, options, route.handler, queryShape(route.url, route.schema?.querystring))
    })
    // Data-cached routes (which set X-Cache themselves) get the same ETag and 304 handling.
    // A callback hook: it runs on every response, and most leave it at the first test.
    app.addHook('onSend', (request, reply, payload, done) => {
      if (request.method !== 'GET' || reply.statusCode !== 200 || typeof payload !== 'string') return done(null, payload)
      if (!reply.hasHeader('x-cache') || reply.hasHeader('etag')) return done(null, payload)
      const etag = `"${hash(payload)}"`
      void reply.header('etag', etag)
      if (!matchesEtag(request.headers['if-none-match'], etag)) return done(null, payload)
      void reply.code(304)
      done(null, '')
    })
  },
  { name: 'ecar-response-cache', dependencies: ['ecar-cache', 'ecar-auth'] },
)
