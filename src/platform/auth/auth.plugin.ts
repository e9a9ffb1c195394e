import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from '../config.ts'
import type { CacheEntryOptions, CacheLookup } from '../cache/cache.types.ts'
import { forbidden, unauthorized } from '../http/errors.ts'
import type { Tag } from '../cache/cache-declaration.ts'
import type { Db } from '../db/database.ts'
import type { SessionLookup } from './principal.ts'
import { bearerToken, tokenHash } from './tokens.ts'
import type { Grants } from './permissions.ts'
import './principal.ts'

const SESSION_ENDED = 'The session is invalid or has ended.'

/** Where sessions come from: the auth module's table and cache names, handed in by app.ts. */
export interface SessionSource {
  namespace: string
  key(tokenHash: string): string
  tag(tokenHash: string): Tag
  /** The live session of a token hash, or undefined. */
  find(db: Db, tokenHash: string): Promise<SessionLookup | undefined>
}

/**
 * Authenticates bearer tokens and enforces route roles. Sessions are looked up through the
 * in-process cache tier (tagged `session:<hash>`, which revocation touches), so a signed-in request
 * costs no query on a hit; Redis never answers for a session.
 */
export const authPlugin = fp(
  async (app: FastifyInstance, opts: { config: Config; sessions: SessionSource; permissions: ReadonlyMap<string, Grants> }) => {
    app.decorateRequest('principal', null)
    app.decorateRequest('grant', null)
    const permissions = opts.permissions
    // A signed-in route that names no permission, or one nobody declared, is refused at start-up:
    // who may call it must be written down (and the authorization matrix then checks it).
    app.addHook('onRoute', (route) => {
      if (!route.url.startsWith('/api/') || route.config?.public === true) return
      const permission = route.config?.permission
      if (permission === undefined) throw new Error(`${String(route.method)} ${route.url} names no permission (config.permission)`)
      if (!permissions.has(permission)) throw new Error(`${String(route.method)} ${route.url} names ${permission}, which no module declares`)
    })
    const ttlMs = opts.config.cache.sessionLookupTtlMs
    const db = app.database.db
    const source = opts.sessions
    app.cache.declareNamespaces(source.namespace)

    /** The session from the database, cached; or, while the database is down, an untouched stale lookup. */
    async function fromDatabase(hash: string, found: CacheLookup<SessionLookup>, entry: CacheEntryOptions): Promise<SessionLookup> {
      let session: SessionLookup | undefined
      try {
        session = await source.find(db, hash)
      } catch (error) {
        // No logout can commit while the database is down, so an untouched lookup is still right.
        const stale = app.cache.staleFor(found, error, entry)
        if (stale) return stale.value
        throw error
      }
      if (session === undefined) throw unauthorized(SESSION_ENDED)
      // Stores nothing if a revocation touched the tag since the lookup began.
      await found.commit(session)
      return session
    }

    /** The session behind a token hash, from the cache or (once per process at a time) the database. */
    async function sessionFor(hash: string): Promise<SessionLookup> {
      // Never from Redis: a Redis writer could forge a lookup, or restore a revoked one with its old tag
      // tokens; the in-process tier only hears sealed invalidations (docs/decisions/006-cache-trust.md).
      const entry: CacheEntryOptions = { namespace: source.namespace, ttlMs, tags: [source.tag(hash)], localOnly: true }
      // lookup + commit rather than getOrSet: only found sessions are stored (random bad tokens would
      // fill the cache), and a miss costs one primary-key query instead of a cross-instance load lock.
      // The single flight is keyed by the session tag, so a revocation detaches a lookup in progress.
      const found = await app.cache.lookup<SessionLookup>(source.key(hash), entry)
      // Concurrent first requests with one token share a single query (a cold stampede costs one).
      return found.value ?? (await app.cache.singleFlight(entry.tags[0]!, entry.tags, () => fromDatabase(hash, found, entry))).value
    }

    /** Admits the request for the session, or says why not. */
    function admit(request: FastifyRequest, grants: Grants | undefined, session: SessionLookup): Error | undefined {
      // A cached lookup may outlive its session by up to the TTL.
      if (session.expiresAt <= Date.now()) return unauthorized(SESSION_ENDED)
      request.principal = session
      const grant = grants?.[session.role]
      if (grant === undefined) return forbidden()
      request.grant = grant
      return undefined
    }

    // A callback hook: a session found in the in-process tier admits the request without a promise.
    app.addHook('onRequest', (request, _reply, done) => {
      // Read once: the getter builds a new object on every access.
      const route = request.routeOptions
      const url = route.url
      // Unmatched URLs fall through to the 404 handler; only /api/ routes are signed-in by default.
      if (url === undefined || !url.startsWith('/api/') || route.config.public === true) return done()

      const token = bearerToken(request.headers.authorization)
      if (token === undefined) return done(unauthorized())
      const hash = tokenHash(token)
      const grants = permissions.get(route.config.permission!)
      const cached = app.cache.peek<SessionLookup>(source.key(hash), source.namespace)
      if (cached !== undefined) return done(admit(request, grants, cached))
      sessionFor(hash).then(
        (session) => done(admit(request, grants, session)),
        (error: unknown) => done(error as Error),
      )
    })
  },
  { name: 'ecar-auth', dependencies: ['ecar-database', 'ecar-cache'] },
)
