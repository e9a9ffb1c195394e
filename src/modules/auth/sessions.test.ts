import { nextTurn } from '../../../test/support/cache.ts'
import { MODULES } from '../index.ts'
import { declaredCache } from '../../platform/registry/registry-views.ts'
import { sessionSource } from './index.ts'
import { EVERY_ROLE, type Grants } from '../../platform/auth/permissions.ts'
import { eq } from 'drizzle-orm'
import Fastify, { type FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, testCacheKind, type TestApp } from '../../../test/support/app.ts'
import { createUser, TEST_PASSWORD } from '../../../test/support/factories/users.ts'
import { authPlugin } from '../../platform/auth/auth.plugin.ts'
import { newToken, tokenHash } from '../../platform/auth/tokens.ts'
import { cachePlugin } from '../../platform/cache/cache.plugin.ts'
import { databasePlugin } from '../../platform/db/database.plugin.ts'
import { errorHandlerPlugin } from '../../platform/http/error-handler.ts'
import { users } from '../users/users.table.ts'
import { sessions } from './sessions.table.ts'
import { touchUserSessions } from './sessions.repository.ts'
import { sessionKey } from './auth.cache.ts'

describe('bearer sessions', () => {
  let t: TestApp
  const me = (headers: Record<string, string>, app: FastifyInstance = t.app) => app.inject({ method: 'GET', url: '/api/auth/me', headers })
  /** How many database queries a request costs. */
  const queriesOf = async (run: () => Promise<unknown>) => {
    const before = t.app.database.queries.count
    await run()
    return t.app.database.queries.count - before
  }
  const sessionFor = async (userId: number, expiresAt: Date) => {
    const token = newToken()
    await t.app.db.insert(sessions).values({ tokenHash: tokenHash(token), userId, expiresAt })
    return { authorization: `Bearer ${token}` }
  }

  beforeAll(async () => {
    t = await buildTestApp()
  })
  afterAll(async () => t?.close())

  it('refuses a missing, malformed or unknown token with a 401 problem', async () => {
    const headers: Record<string, string>[] = [{}, { authorization: 'Basic dXNlcjpwYXNz' }, { authorization: 'Bearer short' }, { authorization: `Bearer ${newToken()}` }]
    for (const h of headers) {
      const res = await me(h)
      expect(res.statusCode, JSON.stringify(h)).toBe(401)
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
      expect(res.json()).toMatchObject({ status: 401, code: 'ECAR_ERR_UNAUTHORIZED' })
    }
  })

  it('leaves public and unmatched routes alone', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200)
    expect((await t.app.inject({ method: 'GET', url: '/api/no-such-route' })).statusCode).toBe(404)
  })

  it('serves a known session from the cache without a database query', async () => {
    const user = await createUser(t.app.db)
    // GET /me itself reads the user: one query; the first request also looks the session up.
    expect(await queriesOf(() => me(user.auth))).toBe(2)
    expect(await queriesOf(() => me(user.auth))).toBe(1)
  })

  it('does not cache unknown tokens', async () => {
    const bad = { authorization: `Bearer ${newToken()}` }
    expect(await queriesOf(() => me(bad))).toBe(1)
    expect(await queriesOf(() => me(bad))).toBe(1)
  })

  it('refuses an expired session', async () => {
    const user = await createUser(t.app.db)
    const res = await me(await sessionFor(user.id, new Date(Date.now() - 1000)))
    expect(res.statusCode).toBe(401)
  })

  it('refuses a cached session once it expires', async () => {
    const user = await createUser(t.app.db)
    const expiresAt = new Date(Date.now() + 1500)
    const auth = await sessionFor(user.id, expiresAt)
    expect((await me(auth)).statusCode).toBe(200)
    await new Promise((r) => setTimeout(r, expiresAt.getTime() - Date.now() + 50))
    expect((await me(auth)).statusCode).toBe(401)
  })

  it('refuses the sessions of an inactive user', async () => {
    const user = await createUser(t.app.db)
    await t.app.db.update(users).set({ active: false }).where(eq(users.id, user.id))
    expect((await me(user.auth)).statusCode).toBe(401)
  })

  it.skipIf(testCacheKind() !== 'redis')('a logout on one instance ends the session on another at once', async () => {
    const other = await buildTestApp({ testDb: t.testDb, env: { CACHE_PREFIX: t.config.cache.prefix } })
    try {
      const user = await createUser(t.app.db)
      expect((await me(user.auth, other.app)).statusCode).toBe(200)
      expect((await me(user.auth, other.app)).statusCode).toBe(200)
      expect((await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: user.auth })).statusCode).toBe(204)
      await nextTurn()
      expect((await me(user.auth, other.app)).statusCode).toBe(401)
    } finally {
      await other.app.close()
    }
  })

  describe('route config', () => {
    let app: FastifyInstance
    beforeAll(async () => {
      app = Fastify()
      app.decorate('config', t.config)
      await app.register(errorHandlerPlugin)
      await app.register(databasePlugin, { config: t.config, database: t.testDb.database })
      await app.register(cachePlugin, { config: t.config, declared: declaredCache(MODULES) })
      // The probes' own permissions: any signed-in role, and staff of the front desk only.
      const permissions = new Map<string, Grants>([['probe:any', EVERY_ROLE], ['probe:staff', { admin: 'any', advisor: 'any' }]])
      await app.register(authPlugin, { config: t.config, sessions: sessionSource, permissions })
      app.get('/api/probe/any', { config: { permission: 'probe:any' } }, async (request) => request.principal)
      app.get('/api/probe/staff', { config: { permission: 'probe:staff' } }, async (request) => request.principal)
      app.get('/api/probe/open', { config: { public: true } }, async (request) => ({ principal: request.principal }))
      app.get('/outside', async (request) => ({ principal: request.principal }))
      await app.ready()
    })
    afterAll(async () => app?.close())

    it('sets the principal of a signed-in request', async () => {
      const user = await createUser(app.db, { role: 'mechanic' })
      const res = await app.inject({ method: 'GET', url: '/api/probe/any', headers: user.auth })
      expect(res.statusCode).toBe(200)
      expect(res.json()).toMatchObject({ userId: user.id, role: 'mechanic', email: user.email, name: user.name, sessionId: tokenHash(user.token) })
    })

    it('limits roles with 403', async () => {
      const mechanic = await createUser(app.db, { role: 'mechanic' })
      const advisor = await createUser(app.db, { role: 'advisor' })
      const refused = await app.inject({ method: 'GET', url: '/api/probe/staff', headers: mechanic.auth })
      expect(refused.statusCode).toBe(403)
      expect(refused.json()).toMatchObject({ code: 'ECAR_ERR_FORBIDDEN' })
      expect((await app.inject({ method: 'GET', url: '/api/probe/staff', headers: advisor.auth })).statusCode).toBe(200)
      expect((await app.inject({ method: 'GET', url: '/api/probe/staff' })).statusCode).toBe(401)
    })

    it('sees a name change once the user\'s sessions are touched', async () => {
      const user = await createUser(app.db)
      const probe = () => app.inject({ method: 'GET', url: '/api/probe/any', headers: user.auth })
      expect((await probe()).json().name).toBe(user.name)
      await app.writer.transaction(async (tx, touch) => {
        await tx.update(users).set({ name: 'Renamed' }).where(eq(users.id, user.id))
        expect(await touchUserSessions(tx, touch, user.id)).toBe(1)
      })
      expect((await probe()).json().name).toBe('Renamed')
    })

    it('lets anyone call public and non-API routes, without a principal', async () => {
      for (const url of ['/api/probe/open', '/outside']) {
        const res = await app.inject({ method: 'GET', url })
        expect(res.statusCode).toBe(200)
        expect(res.json()).toEqual({ principal: null })
      }
    })
  })

  it('keeps session lookups in an in-process LRU of their own, which other entries do not push out', async () => {
    for (const [reserved, kept] of [['50', true], ['0', false]] as const) {
      const small = await buildTestApp({ env: { CACHE_L1_MAX_ENTRIES: '3', CACHE_L1_SESSIONS: reserved } })
      try {
        const first = await createUser(small.app.db)
        expect((await small.app.inject({ method: 'GET', url: '/api/vehicles', headers: first.auth })).statusCode).toBe(200)
        // Four other customers: a session and a list each, more than the main LRU's 3 entries.
        for (let i = 0; i < 4; i++) {
          const other = await createUser(small.app.db)
          expect((await small.app.inject({ method: 'GET', url: '/api/vehicles', headers: other.auth })).statusCode).toBe(200)
        }
        const l1 = small.app.cache.l1!
        expect(l1.get(sessionKey(tokenHash(first.token))) !== undefined, `CACHE_L1_SESSIONS=${reserved}`).toBe(kept)
        expect(l1.bounds.length).toBe(kept ? 2 : 1)
      } finally {
        await small.close()
      }
    }
  })

  it('the factory password signs in', async () => {
    const user = await createUser(t.app.db)
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: user.email, password: TEST_PASSWORD } })
    expect(res.statusCode).toBe(200)
  })
})
