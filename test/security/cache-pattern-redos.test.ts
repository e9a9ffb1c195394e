import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, type TestApp } from '../support/app.ts'
import { createUser, type TestUser } from '../support/factories/users.ts'

// DELETE /api/admin/cache?pattern= matches the glob against every L1 key with a RegExp. A pattern of
// many `*` then a character no key has makes a backtracking matcher exponential in the star count,
// and the clear is broadcast, so every instance would run it. Kept apart from the fuzzing: in an app
// whose L1 holds hundreds of keys a broken matcher blocks the event loop for minutes; here it holds
// one session key (64 hex characters), so a regression fails in seconds rather than hanging.
const BUDGET_MS = 1000

describe('cache clear patterns cannot stall the instance', () => {
  let t: TestApp
  let admin: TestUser
  beforeAll(async () => {
    t = await buildTestApp()
    admin = await createUser(t.app.db, { role: 'admin' })
    // Puts the admin's session lookup in the L1: a long key for the pattern to be matched against.
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: admin.auth })).statusCode).toBe(200)
  })
  afterAll(async () => t?.close())

  it('a pattern of stars and a character no key has answers 200 within the budget', async () => {
    // Six stars: about 3 s per 64-character key for a backtracking matcher, microseconds for a linear one.
    // More would make a regression hang instead of fail.
    const started = performance.now()
    const res = await t.app.inject({ method: 'DELETE', url: '/api/admin/cache?pattern=******x', headers: admin.auth })
    const ms = performance.now() - started
    expect(res.statusCode).toBe(200)
    expect(ms).toBeLessThan(BUDGET_MS)
  })
})
