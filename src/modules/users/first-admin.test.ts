import { eq } from 'drizzle-orm'
import { afterEach, describe, expect, it } from 'vitest'
import { buildTestApp, createTestDatabase, type TestApp } from '../../../test/support/app.ts'
import { createUser } from '../../../test/support/factories/users.ts'
import { bootstrapData } from '../../bootstrap.ts'
import { verifyPassword } from '../../platform/auth/password.ts'
import { users } from './users.table.ts'

const ADMIN_ENV = { ECAR_ADMIN_EMAIL: 'Boss@Example.TEST', ECAR_ADMIN_PASSWORD: 'first admin passphrase' }

describe('first admin from settings', () => {
  const opened: TestApp[] = []
  const build = async (env: Record<string, string>, testDb?: TestApp['testDb']) => {
    const t = await buildTestApp({ env, testDb })
    opened.push(t)
    return t
  }
  afterEach(async () => {
    // Apps sharing a database close before the one that owns (and drops) it.
    for (const t of opened.reverse()) await t.close()
    opened.length = 0
  })

  it('creates the admin (lower-case email) when none exists, and only once', async () => {
    const t = await build(ADMIN_ENV)
    await bootstrapData(t.app)
    const admins = await t.app.db.select().from(users).where(eq(users.role, 'admin'))
    expect(admins).toHaveLength(1)
    expect(admins[0]).toMatchObject({ email: 'boss@example.test', active: true })
    expect(await verifyPassword(ADMIN_ENV.ECAR_ADMIN_PASSWORD, admins[0]!.passwordHash)).toBe(true)

    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'boss@example.test', password: ADMIN_ENV.ECAR_ADMIN_PASSWORD },
    })
    expect(login.statusCode).toBe(200)
    const list = await t.app.inject({ method: 'GET', url: '/api/users', headers: { authorization: `Bearer ${login.json().token}` } })
    expect(list.statusCode).toBe(200)

    await bootstrapData(t.app)
    expect(await t.app.db.select().from(users)).toHaveLength(1)
  })

  it('does nothing when an admin already exists', async () => {
    const t = await build(ADMIN_ENV)
    const existing = await createUser(t.app.db, { role: 'admin' })
    await bootstrapData(t.app)
    const admins = await t.app.db.select().from(users).where(eq(users.role, 'admin'))
    expect(admins.map((a) => a.id)).toEqual([existing.id])
  })

  it('leaves a non-admin account with that email untouched', async () => {
    const t = await build(ADMIN_ENV)
    const customer = await createUser(t.app.db, { role: 'customer', email: 'boss@example.test' })
    const [before] = await t.app.db.select().from(users).where(eq(users.id, customer.id))
    await bootstrapData(t.app)
    expect(await t.app.db.select().from(users)).toEqual([before])
  })

  it('creates one admin when two processes start at once', async () => {
    const testDb = await createTestDatabase()
    try {
      const a = await build(ADMIN_ENV, testDb)
      const b = await build(ADMIN_ENV, testDb)
      await Promise.all([bootstrapData(a.app), bootstrapData(b.app)])
      expect(await a.app.db.select().from(users)).toHaveLength(1)
    } finally {
      for (const t of opened.reverse()) await t.close()
      opened.length = 0
      await testDb.drop()
    }
  })
})
