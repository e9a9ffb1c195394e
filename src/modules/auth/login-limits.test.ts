import { Writable } from 'node:stream'
import { eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, deleteRedisPrefix, testCacheKind, type TestApp } from '../../../test/support/app.ts'
import { createUser, TEST_PASSWORD } from '../../../test/support/factories/users.ts'
import { users } from '../users/users.table.ts'
import { sessions } from './sessions.table.ts'

let seq = 0
const address = () => `10.3.${Math.floor(seq / 250) % 250}.${(seq++ % 250) + 1}`

describe('sign-in limits that an attacker elsewhere cannot turn against the user', () => {
  let t: TestApp
  const logs: string[] = []
  const login = (email: string, password: string, remoteAddress = address(), headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password }, remoteAddress, headers })

  beforeAll(async () => {
    const logStream = new Writable({
      write(chunk, _encoding, done) {
        logs.push(String(chunk))
        done()
      },
    })
    t = await buildTestApp({ env: { LOG_LEVEL: 'info', LOGIN_FAILURES_PER_ADDRESS: '8' }, logStream })
  })
  afterAll(async () => t?.close())

  it('lets the real user in from an address they signed in from, however many guesses come from elsewhere', async () => {
    const user = await createUser(t.app.db)
    const home = address()
    expect((await login(user.email, TEST_PASSWORD, home)).statusCode).toBe(200)
    const codes: number[] = []
    for (let i = 0; i < 20; i++) codes.push((await login(user.email, 'wrong password')).statusCode)
    // The attacker's addresses are slowed down past 5 failures of the account...
    expect(codes.slice(0, 5)).toEqual([401, 401, 401, 401, 401])
    expect(codes.slice(5).every((c) => c === 429)).toBe(true)
    // ...but the user's own address is not.
    expect((await login(user.email, TEST_PASSWORD, home)).statusCode).toBe(200)
  })

  it('limits guesses from one address to 5 per account, even from a known address, without touching other addresses', async () => {
    const user = await createUser(t.app.db)
    const home = address()
    const office = address()
    expect((await login(user.email, TEST_PASSWORD, home)).statusCode).toBe(200)
    expect((await login(user.email, TEST_PASSWORD, office)).statusCode).toBe(200)
    for (let i = 0; i < 5; i++) expect((await login(user.email, 'wrong password', home)).statusCode).toBe(401)
    const refused = await login(user.email, TEST_PASSWORD, home)
    expect(refused.statusCode).toBe(429)
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(800)
    expect((await login(user.email, TEST_PASSWORD, office)).statusCode).toBe(200)
  })

  it('backs off an attacked account for unknown addresses, briefly at first', async () => {
    const user = await createUser(t.app.db)
    for (let i = 0; i < 5; i++) expect((await login(user.email, 'wrong password')).statusCode).toBe(401)
    const refused = await login(user.email, TEST_PASSWORD)
    expect(refused.statusCode).toBe(429)
    // The first back-off delay is 10 s, not the 15-minute window.
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(10)
  })

  it('counts IPv6 clients by /64', async () => {
    const prefix = `2001:db8:${(seq++ % 60000).toString(16)}:7`
    for (let i = 1; i <= 8; i++) expect((await login(`nobody-${seq++}@example.test`, 'wrong password', `${prefix}::${i}`)).statusCode).toBe(401)
    const user = await createUser(t.app.db)
    expect((await login(user.email, TEST_PASSWORD, `${prefix}:ffff:ffff:ffff:9`)).statusCode).toBe(429)
    expect((await login(user.email, TEST_PASSWORD, `${prefix.slice(0, -1)}8::1`)).statusCode).toBe(200)
  })

  it('lets an admin clear an account’s limits, and logs who did', async () => {
    const user = await createUser(t.app.db)
    const admin = await createUser(t.app.db, { role: 'admin' })
    for (let i = 0; i < 5; i++) expect((await login(user.email, 'wrong password')).statusCode).toBe(401)
    expect((await login(user.email, TEST_PASSWORD)).statusCode).toBe(429)
    const unlock = (id: number, headers = admin.auth) => t.app.inject({ method: 'DELETE', url: `/api/users/${id}/login-limits`, headers })
    expect((await unlock(user.id, user.auth)).statusCode).toBe(403)
    expect((await unlock(2_000_000_000)).statusCode).toBe(404)
    const res = await unlock(user.id)
    expect(res.statusCode).toBe(204)
    expect((await login(user.email, TEST_PASSWORD)).statusCode).toBe(200)
    const audit = logs.map((line) => JSON.parse(line) as Record<string, unknown>).find((l) => l.audit === 'login-limits.cleared' && l.userId === user.id)
    expect(audit).toMatchObject({ by: admin.id })
    expect(JSON.stringify(audit)).not.toContain(user.email)
  })

  it('keeps the counters in the database, where clearing Redis cannot reset them', async () => {
    const user = await createUser(t.app.db)
    for (let i = 0; i < 5; i++) expect((await login(user.email, 'wrong password')).statusCode).toBe(401)
    // What an allkeys-lru eviction does to counters in Redis, all at once.
    if (t.config.redisUrl) await deleteRedisPrefix(t.config.redisUrl, t.config.cache.prefix)
    expect((await login(user.email, TEST_PASSWORD)).statusCode).toBe(429)
    const rows = await t.app.db.execute<{ n: number }>(sql`select count(*)::int as n from rate_limit_counters where key like 'login-account:%'`)
    expect(Number((rows as unknown as { rows: Array<{ n: number }> }).rows[0]!.n)).toBeGreaterThan(0)
  })
})

describe('bounds on successful sign-ins', () => {
  let t: TestApp
  const login = (email: string, remoteAddress = '10.4.0.1') =>
    t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: TEST_PASSWORD }, remoteAddress })

  beforeAll(async () => {
    t = await buildTestApp({ env: { MAX_SESSIONS_PER_USER: '3', LOGIN_SUCCESSES_PER_ACCOUNT: '6' }, passwordHashCost: 2048 })
  })
  afterAll(async () => t?.close())

  it('keeps at most MAX_SESSIONS_PER_USER live sessions, ending the oldest and its cached lookup', async () => {
    const user = await createUser(t.app.db)
    await t.app.db.delete(sessions).where(eq(sessions.userId, user.id))
    const tokens: string[] = []
    for (let i = 0; i < 4; i++) {
      const res = await login(user.email)
      expect(res.statusCode).toBe(200)
      tokens.push(res.json().token)
      // Each session is used, so its lookup is cached before the bound drops it.
      const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${tokens[i]}` } })
      expect(me.statusCode).toBe(200)
    }
    const statuses = await Promise.all(
      tokens.map(async (token) => (await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } })).statusCode),
    )
    expect(statuses).toEqual([401, 200, 200, 200])
    expect(await t.app.db.$count(sessions, eq(sessions.userId, user.id))).toBe(3)
  })

  it('holds the session bound under concurrent sign-ins of one user', async () => {
    const user = await createUser(t.app.db)
    const answers = await Promise.all(Array.from({ length: 5 }, (_, i) => login(user.email, `10.4.3.${i + 1}`)))
    expect(answers.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 200])
    expect(await t.app.db.$count(sessions, eq(sessions.userId, user.id))).toBe(3)
  })

  it('limits successful sign-ins of one account per window', async () => {
    const user = await createUser(t.app.db)
    for (let i = 0; i < 6; i++) expect((await login(user.email, `10.4.1.${i + 1}`)).statusCode).toBe(200)
    const res = await login(user.email, '10.4.1.99')
    expect(res.statusCode).toBe(429)
    expect(res.headers['retry-after']).toBeDefined()
  })

  it('rehashes a password stored with a weaker cost at sign-in', async () => {
    const user = await createUser(t.app.db)
    const hashOf = async () => (await t.app.db.select({ h: users.passwordHash }).from(users).where(eq(users.id, user.id)))[0]!.h
    expect(await hashOf()).toMatch(/^scrypt\$1024\$/)
    expect((await login(user.email, '10.4.2.1')).statusCode).toBe(200)
    expect(await hashOf()).toMatch(/^scrypt\$2048\$8\$1\$/)
    // The upgraded hash still signs the user in.
    expect((await login(user.email, '10.4.2.1')).statusCode).toBe(200)
  })
})

describe.skipIf(testCacheKind() !== 'redis')('sign-in limits across instances', () => {
  it('counts parallel guesses of two instances exactly', async () => {
    const a = await buildTestApp()
    const b = await buildTestApp({ testDb: a.testDb, env: { CACHE_PREFIX: a.config.cache.prefix } })
    try {
      const user = await createUser(a.app.db)
      const answers = await Promise.all(
        Array.from({ length: 16 }, (_, i) =>
          (i % 2 ? a : b).app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: user.email, password: 'wrong password' }, remoteAddress: address() }),
        ),
      )
      const codes = answers.map((r) => r.statusCode)
      expect(codes.filter((c) => c === 401)).toHaveLength(5)
      expect(codes.filter((c) => c === 429)).toHaveLength(11)
    } finally {
      await b.app.close()
      await a.close()
    }
  })
})
