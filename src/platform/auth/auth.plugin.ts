import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from '../config.ts'
import type { CacheEntryOptions, CacheLookup } from '../cache/cache.types.ts'
import { forbidden, unauthorized } from '../http/errors.ts'
import { SESSION_NAMESPACE, sessionKey, sessionTag } from '../../modules/auth/auth.cache.ts'
import { findLiveSession, type SessionLookup } from '../../modules/auth/sessions.repository.ts'
import { bearerToken, tokenHash } from './tokens.ts'
import type { Role } from './roles.ts'
import './principal.ts'

const SESSION_ENDED = 'The session is invalid or has ended.'

/**
 * Authenticates bearer tokens and enforces route roles. Sessions are looked up through the
 * in-process cache tier (tagged `session:<hash>`, which revocation touches), so a signed-in request
 * costs no query on a hit; Redis never answers for a session.
 */
export const authPlugin = fp(
  async (app: FastifyInstance, opts: { config: Config }) => {
    app.decorateRequest('principal', null)
    const ttlMs = opts.config.cache.sessionLookupTtlMs
    const db = app.database.db
    app.cache.declareNamespaces(SESSION_NAMESPACE)

    /** The session from the database, cached; or, while the database is down, an untouched stale lookup. */
    async function fromDatabase(hash: string, found: CacheLookup<SessionLookup>, entry: CacheEntryOptions): Promise<SessionLookup> {
      let session: SessionLookup | undefined
      try {
        session = await findLiveSession(db, hash)
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
      const entry: CacheEntryOptions = { namespace: SESSION_NAMESPACE, ttlMs, tags: [sessionTag(hash)], localOnly: true }
      // lookup + commit rather than getOrSet: only found sessions are stored (random bad tokens would
      // fill the cache), and a miss costs one primary-key query instead of a cross-instance load lock.
      // The single flight is keyed by the session tag, so a revocation detaches a lookup in progress.
      const found = await app.cache.lookup<SessionLookup>(sessionKey(hash), entry)
      // Concurrent first requests with one token share a single query (a cold stampede costs one).
      return found.value ?? (await app.cache.singleFlight(entry.tags[0]!, entry.tags, () => fromDatabase(hash, found, entry))).value
    }

    /** Admits the request for the session, or says why not. */
    function admit(request: FastifyRequest, roles: readonly Role[] | undefined, session: SessionLookup): Error | undefined {
      // A cached lookup may outlive its session by up to the TTL.
      if (session.expiresAt <= Date.now()) return unauthorized(SESSION_ENDED)
      request.principal = session
      if (roles !== undefined && !roles.includes(session.role)) return forbidden()
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
      const roles = route.config.roles
      const cached = app.cache.peek<SessionLookup>(sessionKey(hash), SESSION_NAMESPACE)
      if (cached !== undefined) return done(admit(request, roles, cached))
      sessionFor(hash).then(
        (session) => done(admit(request, roles, session)),
        (error: unknown) => done(error as Error),
      )
    })
  },
  { name: 'ecar-auth', dependencies: ['ecar-database', 'ecar-cache'] },
)
