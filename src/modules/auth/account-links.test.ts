import { and, eq, isNull } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, type TestApp } from '../../../test/support/app.ts'
import { createLinkToken } from '../../../test/support/factories/auth.ts'
import { castOf } from '../../../test/support/actors.ts'
import { createDeskCustomer, createSession, createUser, TEST_PASSWORD, type TestUser } from '../../../test/support/factories/users.ts'
import { caller } from '../../../test/support/http.ts'
import { messages } from '../messages/messages.table.ts'
import { accountTokens } from './account-tokens.table.ts'

const NEW_PASSWORD = 'a brand new passphrase'
const TOKEN_IN_TEXT = /#token=([A-Za-z0-9_-]{43})/

describe('password reset and invitations (no SMTP_URL: messages are recorded)', () => {
  let t: TestApp
  let call: ReturnType<typeof caller>
  let advisor: TestUser
  let mechanic: TestUser

  const post = (url: string, payload?: object, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url, headers, ...(payload ? { payload } : {}) })
  const login = (email: string, password: string) => post('/api/auth/login', { email, password })
  const messagesTo = (email: string) => t.app.db.select().from(messages).where(eq(messages.recipient, email)).orderBy(messages.id)
  /** The reset link and its mail are written just after the 202: waits until the outbox holds one more for the address. */
  const waitForMessages = async (email: string, count: number) => {
    const deadline = Date.now() + 5000
    while ((await messagesTo(email)).length < count) {
      if (Date.now() > deadline) throw new Error(`no reset mail to ${email}`)
      await new Promise((r) => setTimeout(r, 10))
    }
  }
  const requestReset = async (email: string) => {
    const before = (await messagesTo(email)).length
    expect((await post('/api/auth/password-reset', { email })).statusCode).toBe(202)
    await waitForMessages(email, before + 1)
  }
  /** The token of the last reset or invitation mail to an address, read from the outbox as the mail would carry it. */
  const mailedToken = async (email: string) => {
    const rows = await messagesTo(email)
    return TOKEN_IN_TEXT.exec(rows.at(-1)!.textBody)![1]!
  }

  beforeAll(async () => {
    t = await buildTestApp({ env: { PUBLIC_URL: 'https://portal.example.test', PASSWORD_RESETS_PER_EMAIL: '3' } })
    call = caller(t.app)
    ;({ advisor, mechanic } = await castOf(t.app.db))
  })
  afterAll(async () => t?.close())

  describe('POST /api/auth/password-reset', () => {
    it('a password changed meanwhile retires the open reset link (410)', async () => {
      const user = await createUser(t.app.db)
      await requestReset(user.email)
      const token = await mailedToken(user.email)
      const changed = await t.app.inject({
        method: 'PATCH',
        url: '/api/auth/me',
        headers: user.auth,
        payload: { password: 'a brand new passphrase', currentPassword: TEST_PASSWORD },
      })
      expect(changed.statusCode).toBe(200)
      const late = await post(`/api/auth/password-reset/${token}`, { password: 'someone elses passphrase' })
      expect(late.statusCode).toBe(410)
      expect((await login(user.email, 'a brand new passphrase')).statusCode).toBe(200)
    })

    it('answers 202 for a known and an unknown address alike; only the known one gets a recorded mail', async () => {
      const user = await createUser(t.app.db)
      const known = await post('/api/auth/password-reset', { email: user.email.toUpperCase() })
      const unknown = await post('/api/auth/password-reset', { email: `nobody-${Date.now()}@example.test` })
      expect([known.statusCode, unknown.statusCode]).toEqual([202, 202])
      expect(known.body).toBe(unknown.body)
      await waitForMessages(user.email, 1)
      const rows = await messagesTo(user.email)
      expect(rows).toHaveLength(1)
      expect(rows[0]).toMatchObject({ kind: 'password_reset', status: 'recorded', subject: 'Reset your ECAR password', relatedType: 'user', relatedId: user.id })
      expect(rows[0]!.textBody).toMatch(/https:\/\/portal\.example\.test\/reset-password#token=[A-Za-z0-9_-]{43}\n/)
    })

    it('limits requests per email with 429 and Retry-After', async () => {
      const user = await createUser(t.app.db)
      const statuses = []
      for (let i = 0; i < 4; i++) statuses.push((await post('/api/auth/password-reset', { email: user.email })).statusCode)
      expect(statuses).toEqual([202, 202, 202, 429])
      const refused = await post('/api/auth/password-reset', { email: user.email })
      expect(refused.headers['retry-after']).toMatch(/^\d+$/)
      expect(refused.json().code).toBe('ECAR_ERR_RATE_LIMITED')
    })

    it('limits requests per client address, counting an IPv6 /64 as one address (#16.12)', async () => {
      const net = `2001:db8:${(Date.now() % 0xffff).toString(16)}:${process.pid.toString(16).slice(-4)}`
      const from = (host: number, email: string) =>
        t.app.inject({ method: 'POST', url: '/api/auth/password-reset', payload: { email }, remoteAddress: `${net}::${host.toString(16)}` })
      // PASSWORD_RESETS_PER_ADDRESS is 20 by default: each request from another address in the /64, for another email.
      for (let i = 1; i <= 20; i++) expect((await from(i, `nobody-${i}-${Date.now()}@example.test`)).statusCode, `request ${i}`).toBe(202)
      const refused = await from(0xbeef, `nobody-last-${Date.now()}@example.test`)
      expect(refused.statusCode).toBe(429)
      expect(refused.headers['retry-after']).toMatch(/^\d+$/)
    })

    it('refuses a body that is not one email', async () => {
      for (const payload of [{}, { email: 'nope' }, { email: 'a@example.test', extra: 1 }]) {
        expect((await post('/api/auth/password-reset', payload)).statusCode).toBe(400)
      }
    })
  })

  describe('POST /api/auth/password-reset/:token', () => {
    it('sets the password and ends every session of the user; the link then is 410', async () => {
      const user = await createUser(t.app.db)
      const other = await createSession(t.app.db, user.id)
      expect((await call(user, 'GET', '/api/auth/me')).statusCode).toBe(200)
      await requestReset(user.email)
      const token = await mailedToken(user.email)
      const res = await post(`/api/auth/password-reset/${token}`, { password: NEW_PASSWORD })
      expect(res.statusCode).toBe(204)
      expect((await call(user, 'GET', '/api/auth/me')).statusCode).toBe(401)
      expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: other.auth })).statusCode).toBe(401)
      expect((await login(user.email, TEST_PASSWORD)).statusCode).toBe(401)
      expect((await login(user.email, NEW_PASSWORD)).statusCode).toBe(200)
      const again = await post(`/api/auth/password-reset/${token}`, { password: 'yet another passphrase' })
      expect(again.statusCode).toBe(410)
      expect(again.headers['content-type']).toMatch(/^application\/problem\+json/)
      expect(again.json()).toMatchObject({ status: 410, code: 'ECAR_ERR_LINK_GONE', title: 'Gone' })
    })

    it('of two concurrent uses of one link, exactly one succeeds', async () => {
      const user = await createUser(t.app.db)
      const { token } = await createLinkToken(t.app.db, user.id, 'password_reset')
      const results = await Promise.all([
        post(`/api/auth/password-reset/${token}`, { password: 'first concurrent password' }),
        post(`/api/auth/password-reset/${token}`, { password: 'second concurrent password' }),
      ])
      expect(results.map((r) => r.statusCode).sort()).toEqual([204, 410])
      const winner = results[0]!.statusCode === 204 ? 'first concurrent password' : 'second concurrent password'
      expect((await login(user.email, winner)).statusCode).toBe(200)
    })

    it('is 410 for an expired and an unknown token, 400 for a malformed one, and changes nothing', async () => {
      const user = await createUser(t.app.db)
      const { token: expired } = await createLinkToken(t.app.db, user.id, 'password_reset', -1000)
      expect((await post(`/api/auth/password-reset/${expired}`, { password: NEW_PASSWORD })).statusCode).toBe(410)
      expect((await post(`/api/auth/password-reset/${'A'.repeat(43)}`, { password: NEW_PASSWORD })).statusCode).toBe(410)
      expect((await post('/api/auth/password-reset/short', { password: NEW_PASSWORD })).statusCode).toBe(400)
      // An invitation token is not a reset token.
      const { token: invitation } = await createLinkToken(t.app.db, user.id, 'invitation')
      expect((await post(`/api/auth/password-reset/${invitation}`, { password: NEW_PASSWORD })).statusCode).toBe(410)
      const { token: live } = await createLinkToken(t.app.db, user.id, 'password_reset')
      expect((await post(`/api/auth/password-reset/${live}`, { password: 'short' })).statusCode).toBe(400)
      expect((await call(user, 'GET', '/api/auth/me')).statusCode).toBe(200)
      expect((await login(user.email, TEST_PASSWORD)).statusCode).toBe(200)
    })

    it('concurrent reset requests for one account leave one live link', async () => {
      const user = await createUser(t.app.db)
      const answers = await Promise.all([0, 1, 2].map(() => post('/api/auth/password-reset', { email: user.email })))
      expect(answers.map((r) => r.statusCode)).toEqual([202, 202, 202])
      await waitForMessages(user.email, 3)
      const live = await t.app.db
        .select()
        .from(accountTokens)
        .where(and(eq(accountTokens.userId, user.id), isNull(accountTokens.usedAt)))
      expect(live).toHaveLength(1)
    })

    it('a newer reset mail retires the older link', async () => {
      const user = await createUser(t.app.db)
      await requestReset(user.email)
      const first = await mailedToken(user.email)
      await requestReset(user.email)
      const second = await mailedToken(user.email)
      expect((await post(`/api/auth/password-reset/${first}`, { password: NEW_PASSWORD })).statusCode).toBe(410)
      expect((await post(`/api/auth/password-reset/${second}`, { password: NEW_PASSWORD })).statusCode).toBe(204)
    })
  })

  describe('invitations', () => {
    it('lets a customer opened at the desk set a password, sign in at once and later log in', async () => {
      const desk = (await call(advisor, 'POST', '/api/customers', { email: `invite-${Date.now()}@example.test`, name: 'Desk Invitee' })).json()
      // Before: no way in (the state #13.5 reports).
      expect((await post('/api/auth/register', { email: desk.email, password: NEW_PASSWORD, name: 'X' })).statusCode).toBe(409)
      expect((await login(desk.email, NEW_PASSWORD)).statusCode).toBe(401)
      const created = await call(advisor, 'POST', `/api/customers/${desk.id}/invitations`)
      expect(created.statusCode).toBe(201)
      const { url, expiresAt } = created.json()
      // The link's token stays out of headers (proxies log them): Location names the customer.
      expect(created.headers.location).toBe(`/api/customers/${desk.id}`)
      expect(url).toMatch(/^https:\/\/portal\.example\.test\/invite#token=[A-Za-z0-9_-]{43}$/)
      const days = (Date.parse(expiresAt) - Date.now()) / 86_400_000
      expect(days).toBeGreaterThan(6.99)
      expect(days).toBeLessThanOrEqual(7)
      const [mail] = await messagesTo(desk.email)
      expect(mail).toMatchObject({ kind: 'invitation', status: 'recorded', relatedId: desk.id })
      expect(mail!.textBody).toContain(url)

      const token = url.split('#token=')[1]
      const accepted = await post(`/api/auth/invitations/${token}`, { password: NEW_PASSWORD })
      expect(accepted.statusCode).toBe(200)
      const body = accepted.json()
      expect(body.user).toMatchObject({ id: desk.id, email: desk.email, role: 'customer' })
      const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${body.token}` } })
      expect(me.json()).toMatchObject({ id: desk.id })
      expect((await login(desk.email, NEW_PASSWORD)).statusCode).toBe(200)
      expect((await post(`/api/auth/invitations/${token}`, { password: 'someone else entirely' })).statusCode).toBe(410)
      // Now that it has a password, no further invitation: an advisor must not be able to take it over.
      const again = await call(advisor, 'POST', `/api/customers/${desk.id}/invitations`)
      expect(again.statusCode).toBe(409)
      expect(again.json().code).toBe('ECAR_ERR_HAS_PASSWORD')
    })

    it('a second invitation replaces the first; two concurrent accepts give one sign-in', async () => {
      const desk = await createDeskCustomer(t.app.db)
      const first = (await call(advisor, 'POST', `/api/customers/${desk.id}/invitations`)).json().url.split('#token=')[1]
      const second = (await call(advisor, 'POST', `/api/customers/${desk.id}/invitations`)).json().url.split('#token=')[1]
      expect((await post(`/api/auth/invitations/${first}`, { password: NEW_PASSWORD })).statusCode).toBe(410)
      const results = await Promise.all([0, 1].map(() => post(`/api/auth/invitations/${second}`, { password: NEW_PASSWORD })))
      expect(results.map((r) => r.statusCode).sort()).toEqual([200, 410])
    })

    it('is 410 once expired and once the account got a password by a reset', async () => {
      const desk = await createDeskCustomer(t.app.db)
      const { token: expired } = await createLinkToken(t.app.db, desk.id, 'invitation', -1)
      expect((await post(`/api/auth/invitations/${expired}`, { password: NEW_PASSWORD })).statusCode).toBe(410)
      const invitation = (await call(advisor, 'POST', `/api/customers/${desk.id}/invitations`)).json().url.split('#token=')[1]
      await requestReset(desk.email)
      expect((await post(`/api/auth/password-reset/${await mailedToken(desk.email)}`, { password: NEW_PASSWORD })).statusCode).toBe(204)
      expect((await post(`/api/auth/invitations/${invitation}`, { password: 'an attacker password' })).statusCode).toBe(410)
      expect((await login(desk.email, NEW_PASSWORD)).statusCode).toBe(200)
    })

    it('is for advisors and admins, for customer accounts only, and not for a deactivated one', async () => {
      const desk = await createDeskCustomer(t.app.db)
      expect((await call(mechanic, 'POST', `/api/customers/${desk.id}/invitations`)).statusCode).toBe(403)
      expect((await call(undefined, 'POST', `/api/customers/${desk.id}/invitations`)).statusCode).toBe(401)
      const staff = await call(advisor, 'POST', `/api/customers/${mechanic.id}/invitations`)
      expect(staff.statusCode).toBe(404)
      expect(staff.json().code).toBe('ECAR_ERR_CUSTOMER_NOT_FOUND')
      expect((await call(advisor, 'POST', '/api/customers/2000000000/invitations')).statusCode).toBe(404)
      expect(await messagesTo(desk.email)).toEqual([])
    })
  })

  describe('GET /api/messages', () => {
    it('lists the outbox newest first to staff, filtered, with link tokens redacted', async () => {
      const desk = await createDeskCustomer(t.app.db)
      const { url } = (await call(advisor, 'POST', `/api/customers/${desk.id}/invitations`)).json()
      const token = url.split('#token=')[1]
      const res = await call(advisor, 'GET', `/api/messages?to=${encodeURIComponent(desk.email.toUpperCase())}`)
      expect(res.statusCode).toBe(200)
      const { items, nextCursor } = res.json()
      expect(nextCursor).toBeNull()
      expect(items).toHaveLength(1)
      expect(items[0]).toMatchObject({ kind: 'invitation', to: desk.email, status: 'recorded', attempts: 0, related: { type: 'user', id: desk.id }, nextAttemptAt: null })
      expect(items[0].text).toContain('/invite#token=[redacted]')
      expect(res.body).not.toContain(token)

      const recorded = (await call(advisor, 'GET', '/api/messages?status=recorded&limit=200')).json().items as { id: number; status: string }[]
      expect(recorded.length).toBeGreaterThan(3)
      expect(recorded.every((m) => m.status === 'recorded')).toBe(true)
      expect(recorded.map((m) => m.id)).toEqual([...recorded.map((m) => m.id)].sort((a, b) => b - a))
      expect((await call(advisor, 'GET', '/api/messages?status=sent')).json().items).toEqual([])
    })

    it('pages without gaps or repeats, and refuses bad filters', async () => {
      const all = (await call(advisor, 'GET', '/api/messages?limit=200')).json().items.map((m: { id: number }) => m.id)
      const seen: number[] = []
      let cursor: string | null = null
      do {
        const page: { items: { id: number }[]; nextCursor: string | null } = (await call(advisor, 'GET', `/api/messages?limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json()
        seen.push(...page.items.map((m: { id: number }) => m.id))
        cursor = page.nextCursor
      } while (cursor)
      expect(seen).toEqual(all)
      for (const q of ['status=lost', 'limit=0', 'cursor=%%%', 'extra=1']) expect((await call(advisor, 'GET', `/api/messages?${q}`)).statusCode).toBe(400)
      expect((await call(mechanic, 'GET', '/api/messages')).statusCode).toBe(403)
    })
  })
})
