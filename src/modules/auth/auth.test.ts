import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, type TestApp } from '../../../test/support/app.ts'
import { createUser, TEST_PASSWORD } from '../../../test/support/factories/users.ts'
import { bearer } from '../../../test/support/http.ts'
import { hashPassword } from '../../platform/auth/password.ts'
import { users } from '../users/users.table.ts'

const NEW_PASSWORD = 'a brand new passphrase'
let seq = 0
const unique = (tag: string) => `${tag}-${Date.now().toString(36)}-${seq++}@example.test`
// Each test signs in from its own address, so address-wide limits of one test never leak into another.
const address = () => `10.1.${Math.floor(seq / 250)}.${(seq++ % 250) + 1}`

describe('auth routes', () => {
  let t: TestApp
  const post = (url: string, payload: object, headers: Record<string, string> = {}, remoteAddress = address()) =>
    t.app.inject({ method: 'POST', url, payload, headers, remoteAddress })
  const me = (token: string) => t.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(token) })
  const patchMe = (token: string, payload: object) => t.app.inject({ method: 'PATCH', url: '/api/auth/me', headers: bearer(token), payload })
  const login = (email: string, password: string, remoteAddress = address()) => post('/api/auth/login', { email, password }, {}, remoteAddress)

  beforeAll(async () => {
    t = await buildTestApp()
  })
  afterAll(async () => t?.close())

  describe('register', () => {
    it('creates a customer with a lower-cased email and a working token', async () => {
      const email = unique('New.Customer').replace('new', 'NEW')
      const res = await post('/api/auth/register', { email, password: TEST_PASSWORD, name: 'Ada Lovelace', phone: '+44 20 7946 0000' })
      expect(res.statusCode).toBe(201)
      const body = res.json()
      expect(body.token).toMatch(/^[A-Za-z0-9_-]{43}$/)
      expect(body.user).toEqual({
        id: expect.any(Number),
        email: email.toLowerCase(),
        name: 'Ada Lovelace',
        phone: '+44 20 7946 0000',
        role: 'customer',
        active: true,
        createdAt: expect.stringMatching(/Z$/),
        updatedAt: expect.stringMatching(/Z$/),
      })
      const self = await me(body.token)
      expect(self.statusCode).toBe(200)
      expect(self.json()).toEqual(body.user)
    })

    it('refuses a taken email, whatever its case, with 409', async () => {
      const email = unique('taken')
      expect((await post('/api/auth/register', { email, password: TEST_PASSWORD, name: 'First' })).statusCode).toBe(201)
      const res = await post('/api/auth/register', { email: email.toUpperCase(), password: TEST_PASSWORD, name: 'Second' })
      expect(res.statusCode).toBe(409)
      expect(res.json()).toMatchObject({ status: 409, code: 'ECAR_ERR_EMAIL_TAKEN' })
      const rows = await t.app.db.select().from(users).where(eq(users.email, email))
      expect(rows).toHaveLength(1)
      expect(rows[0]!.name).toBe('First')
    })

    it('lists every bad field with 400', async () => {
      const res = await post('/api/auth/register', { email: 'not-an-email', password: 'short', name: '' })
      expect(res.statusCode).toBe(400)
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
      const fields = res.json().errors.map((e: { field: string }) => e.field)
      expect(fields).toEqual(expect.arrayContaining(['body.email', 'body.password', 'body.name']))
    })

    it('refuses passwords over 128 characters', async () => {
      const res = await post('/api/auth/register', { email: unique('long'), password: 'x'.repeat(129), name: 'Long' })
      expect(res.statusCode).toBe(400)
      expect(res.json().errors).toEqual([expect.objectContaining({ field: 'body.password' })])
    })

    it('refuses unknown and read-only fields with 400 and creates nothing', async () => {
      const email = unique('sneaky')
      const res = await post('/api/auth/register', { email, password: TEST_PASSWORD, name: 'Sneaky', role: 'admin', id: 1 })
      expect(res.statusCode).toBe(400)
      expect(res.json().errors).toEqual(
        expect.arrayContaining([
          { field: 'body.role', message: 'is not an accepted field' },
          { field: 'body.id', message: 'is not an accepted field' },
        ]),
      )
      expect(await t.app.db.select().from(users).where(eq(users.email, email))).toHaveLength(0)
    })
  })

  describe('login', () => {
    it('returns a token and the short user, for any case of the email', async () => {
      const user = await createUser(t.app.db, { role: 'advisor' })
      const res = await login(user.email.toUpperCase(), TEST_PASSWORD)
      expect(res.statusCode).toBe(200)
      const body = res.json()
      expect(body.user).toEqual({ id: user.id, email: user.email, name: user.name, role: 'advisor' })
      expect(body.token).not.toBe(user.token)
      expect((await me(body.token)).json()).toMatchObject({ id: user.id, role: 'advisor' })
    })

    it('answers a wrong password, an unknown email and an inactive account alike', async () => {
      const user = await createUser(t.app.db)
      const inactive = await createUser(t.app.db)
      await t.app.db.update(users).set({ active: false }).where(eq(users.id, inactive.id))
      const answers = [await login(user.email, 'wrong password!'), await login(unique('nobody'), TEST_PASSWORD), await login(inactive.email, TEST_PASSWORD)]
      for (const res of answers) {
        expect(res.statusCode).toBe(401)
        expect(res.json()).toMatchObject({ code: 'ECAR_ERR_BAD_CREDENTIALS', detail: 'The email or password is wrong.' })
      }
    })

    it('refuses a body with unknown fields', async () => {
      const user = await createUser(t.app.db)
      const res = await post('/api/auth/login', { email: user.email, password: TEST_PASSWORD, remember: true })
      expect(res.statusCode).toBe(400)
      expect(res.json().errors).toEqual([{ field: 'body.remember', message: 'is not an accepted field' }])
    })
  })

  describe('logout', () => {
    it('ends the session at once, even after it was cached', async () => {
      const user = await createUser(t.app.db)
      const other = (await login(user.email, TEST_PASSWORD)).json().token as string
      // Two reads: the second is served from the cached session lookup.
      expect((await me(user.token)).statusCode).toBe(200)
      expect((await me(user.token)).statusCode).toBe(200)
      const res = await post('/api/auth/logout', {}, bearer(user.token))
      expect(res.statusCode).toBe(204)
      expect(res.body).toBe('')
      const after = await me(user.token)
      expect(after.statusCode).toBe(401)
      expect(after.json()).toMatchObject({ code: 'ECAR_ERR_UNAUTHORIZED' })
      expect((await post('/api/auth/logout', {}, bearer(user.token))).statusCode).toBe(401)
      // Only that session ended.
      expect((await me(other)).statusCode).toBe(200)
    })

    it('needs a token', async () => {
      expect((await post('/api/auth/logout', {})).statusCode).toBe(401)
    })
  })

  describe('me', () => {
    it('changes name and phone, and clears the phone with null', async () => {
      const user = await createUser(t.app.db)
      const res = await patchMe(user.token, { name: 'Grace Hopper', phone: '555 0100' })
      expect(res.statusCode).toBe(200)
      expect(res.json()).toMatchObject({ id: user.id, name: 'Grace Hopper', phone: '555 0100', email: user.email })
      expect(Date.parse(res.json().updatedAt)).toBeGreaterThanOrEqual(Date.parse(res.json().createdAt))
      expect((await me(user.token)).json()).toMatchObject({ name: 'Grace Hopper', phone: '555 0100' })
      expect((await patchMe(user.token, { phone: null })).json()).toMatchObject({ phone: null })
    })

    it('refuses role, email, read-only and unknown fields, and an empty body', async () => {
      const user = await createUser(t.app.db)
      for (const payload of [{ role: 'admin' }, { email: 'x@example.test' }, { id: 5 }, { updatedAt: '2020-01-01T00:00:00Z' }, { active: false }, {}]) {
        const res = await patchMe(user.token, payload)
        expect(res.statusCode, JSON.stringify(payload)).toBe(400)
      }
      expect((await me(user.token)).json()).toMatchObject({ role: 'customer', email: user.email, active: true })
    })

    it('changes the password only with the current one, and ends every other session', async () => {
      const user = await createUser(t.app.db)
      const other = (await login(user.email, TEST_PASSWORD)).json().token as string
      // The other session is cached before the change: revocation must still reach it.
      expect((await me(other)).statusCode).toBe(200)

      const missing = await patchMe(user.token, { password: NEW_PASSWORD })
      expect(missing.statusCode).toBe(400)
      expect(missing.json().errors).toEqual([expect.objectContaining({ field: 'body.currentPassword' })])
      const wrong = await patchMe(user.token, { password: NEW_PASSWORD, currentPassword: 'not the password' })
      expect(wrong.statusCode).toBe(400)
      expect(wrong.json()).toMatchObject({ code: 'ECAR_ERR_BAD_CURRENT_PASSWORD' })
      expect((await login(user.email, TEST_PASSWORD)).statusCode).toBe(200)

      const res = await patchMe(user.token, { password: NEW_PASSWORD, currentPassword: TEST_PASSWORD })
      expect(res.statusCode).toBe(200)
      expect((await me(user.token)).statusCode).toBe(200)
      expect((await me(other)).statusCode).toBe(401)
      expect((await login(user.email, TEST_PASSWORD)).statusCode).toBe(401)
      expect((await login(user.email, NEW_PASSWORD)).statusCode).toBe(200)
    })

    it('refuses a too short new password', async () => {
      const user = await createUser(t.app.db)
      const res = await patchMe(user.token, { password: 'short', currentPassword: TEST_PASSWORD })
      expect(res.statusCode).toBe(400)
      expect(res.json().errors).toEqual([expect.objectContaining({ field: 'body.password' })])
    })
  })
})

describe('login timing', () => {
  let t: TestApp
  // A realistic hash cost, so that skipping the password check would show.
  beforeAll(async () => {
    t = await buildTestApp({ passwordHashCost: 16384, env: { LOGIN_FAILURES_PER_ACCOUNT: '100' } })
  })
  afterAll(async () => t?.close())

  it('takes as long for an unknown email as for a wrong password', async () => {
    const user = await createUser(t.app.db)
    await t.app.db.update(users).set({ passwordHash: await hashPassword(TEST_PASSWORD, 16384) }).where(eq(users.id, user.id))
    const timed = async (email: string) => {
      const started = performance.now()
      const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: 'wrong password' }, remoteAddress: address() })
      expect(res.statusCode).toBe(401)
      return performance.now() - started
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
    await timed(unique('warm-up'))
    const known: number[] = []
    const unknown: number[] = []
    for (let i = 0; i < 6; i++) {
      known.push(await timed(user.email))
      unknown.push(await timed(unique('nobody')))
    }
    // Without the dummy check an unknown email answers ~10x faster; the margin absorbs a busy machine.
    expect(median(unknown)).toBeGreaterThan(median(known) * 0.3)
  })
})
