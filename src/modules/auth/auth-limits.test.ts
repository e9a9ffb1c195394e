import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, testCacheKind, type TestApp } from '../../../test/support/app.ts'
import { createUser, TEST_PASSWORD } from '../../../test/support/factories/users.ts'

let seq = 0
const unique = (tag: string) => `${tag}-${Date.now().toString(36)}-${seq++}@example.test`
// Each attempt that must not share an address-wide counter gets an address of its own.
const address = () => `10.2.${Math.floor(seq / 250)}.${(seq++ % 250) + 1}`

describe('auth rate limits', () => {
  let t: TestApp
  const login = (email: string, password: string, remoteAddress = address(), app = t.app) =>
    app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password }, remoteAddress })
  const register = (remoteAddress: string) =>
    t.app.inject({ method: 'POST', url: '/api/auth/register', payload: { email: unique('reg'), password: TEST_PASSWORD, name: 'Reg' }, remoteAddress })
  const expectLimited = (res: Awaited<ReturnType<typeof login>>, maxSeconds: number) => {
    expect(res.statusCode).toBe(429)
    expect(res.json()).toMatchObject({ status: 429, code: 'ECAR_ERR_RATE_LIMITED' })
    const retryAfter = Number(res.headers['retry-after'])
    expect(retryAfter).toBeGreaterThan(0)
    expect(retryAfter).toBeLessThanOrEqual(maxSeconds)
  }

  beforeAll(async () => {
    t = await buildTestApp({ env: { LOGIN_FAILURES_PER_ADDRESS: '8', REGISTRATIONS_PER_ADDRESS: '3' } })
  })
  afterAll(async () => t?.close())

  it('locks an account after 5 failures, from any address, even for the right password', async () => {
    const user = await createUser(t.app.db)
    for (let i = 0; i < 5; i++) expect((await login(user.email, 'wrong password')).statusCode).toBe(401)
    expectLimited(await login(user.email.toUpperCase(), TEST_PASSWORD), 900)
    // Other accounts are not affected.
    const other = await createUser(t.app.db)
    expect((await login(other.email, TEST_PASSWORD)).statusCode).toBe(200)
  })

  it('lets no more than the limit of parallel guesses through', async () => {
    const user = await createUser(t.app.db)
    const answers = await Promise.all(Array.from({ length: 12 }, () => login(user.email, 'wrong password')))
    const codes = answers.map((r) => r.statusCode)
    expect(codes.filter((c) => c === 401)).toHaveLength(5)
    expect(codes.filter((c) => c === 429)).toHaveLength(7)
  })

  it('clears the account counter on a successful login', async () => {
    const user = await createUser(t.app.db)
    for (let i = 0; i < 4; i++) expect((await login(user.email, 'wrong password')).statusCode).toBe(401)
    expect((await login(user.email, TEST_PASSWORD)).statusCode).toBe(200)
    for (let i = 0; i < 5; i++) expect((await login(user.email, 'wrong password')).statusCode).toBe(401)
    expectLimited(await login(user.email, 'wrong password'), 900)
  })

  it('limits failures per address, across accounts; successes do not count', async () => {
    const from = address()
    const user = await createUser(t.app.db)
    for (let i = 0; i < 10; i++) expect((await login(user.email, TEST_PASSWORD, from)).statusCode).toBe(200)
    for (let i = 0; i < 8; i++) expect((await login(unique('nobody'), 'wrong password', from)).statusCode).toBe(401)
    expectLimited(await login(user.email, TEST_PASSWORD, from), 900)
    expect((await login(user.email, TEST_PASSWORD, address())).statusCode).toBe(200)
  })

  it('limits registrations per address', async () => {
    const from = address()
    for (let i = 0; i < 3; i++) expect((await register(from)).statusCode).toBe(201)
    expectLimited(await register(from), 3600)
    expect((await register(address())).statusCode).toBe(201)
  })

  it('counts wrong current passwords as failures of the account', async () => {
    const user = await createUser(t.app.db)
    const change = () =>
      t.app.inject({ method: 'PATCH', url: '/api/auth/me', headers: user.auth, payload: { password: 'a new passphrase', currentPassword: 'guess guess' } })
    for (let i = 0; i < 5; i++) expect((await change()).statusCode).toBe(400)
    expectLimited(await change(), 900)
    expectLimited(await login(user.email, TEST_PASSWORD), 900)
  })

  it.skipIf(testCacheKind() !== 'redis')('shares the counters between instances through Redis', async () => {
    const other = await buildTestApp({ testDb: t.testDb, env: { CACHE_PREFIX: t.config.cache.prefix } })
    try {
      const user = await createUser(t.app.db)
      for (let i = 0; i < 3; i++) expect((await login(user.email, 'wrong password')).statusCode).toBe(401)
      for (let i = 0; i < 2; i++) expect((await login(user.email, 'wrong password', address(), other.app)).statusCode).toBe(401)
      expectLimited(await login(user.email, TEST_PASSWORD), 900)
      expectLimited(await login(user.email, TEST_PASSWORD, address(), other.app), 900)
    } finally {
      await other.app.close()
    }
  })
})
