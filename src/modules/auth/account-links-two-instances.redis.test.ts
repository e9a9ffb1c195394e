import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTwoInstances, testDbKind, testRedisUrl, type TestApp, type TwoInstances } from '../../../test/support/app.ts'
import { nextTurn } from '../../../test/support/cache.ts'
import { createLinkToken } from '../../../test/support/factories/auth.ts'
import { createSession, createUser } from '../../../test/support/factories/users.ts'

describe.skipIf(testDbKind() !== 'postgres' || !testRedisUrl())('a password reset on one instance ends the sessions on another (PostgreSQL + Redis)', () => {
  let both: TwoInstances
  let a: TestApp
  let b: TestApp

  beforeAll(async () => {
    both = await buildTwoInstances({ REDIS_URL: testRedisUrl() })
    ;({ a, b } = both)
  })
  afterAll(async () => both?.close())

  it('a session lookup cached on B is refused by B as soon as the reset on A has answered', async () => {
    const user = await createUser(a.app.db)
    const second = await createSession(a.app.db, user.id)
    for (const auth of [user.auth, second.auth]) {
      // Twice: the second answer comes from B's session cache.
      for (let i = 0; i < 2; i++) expect((await b.app.inject({ method: 'GET', url: '/api/auth/me', headers: auth })).statusCode).toBe(200)
    }
    const { token } = await createLinkToken(a.app.db, user.id, 'password_reset')
    const reset = await a.app.inject({ method: 'POST', url: `/api/auth/password-reset/${token}`, payload: { password: 'reset on instance A' } })
    expect(reset.statusCode).toBe(204)
    // The bus message is in B's socket before A answers; B reads it on its next turn (docs/caching.md).
    await nextTurn()
    for (const auth of [user.auth, second.auth]) {
      expect((await b.app.inject({ method: 'GET', url: '/api/auth/me', headers: auth })).statusCode).toBe(401)
    }
    const login = await b.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: user.email, password: 'reset on instance A' } })
    expect(login.statusCode).toBe(200)
  })
})
