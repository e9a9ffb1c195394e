import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, type TestApp } from '../../../test/support/app.ts'
import { castOf } from '../../../test/support/actors.ts'
import { createUser, type TestUser } from '../../../test/support/factories/users.ts'
import { createVehicle, vehicleBody } from '../../../test/support/factories/vehicles.ts'
import { caller, errorFields } from '../../../test/support/http.ts'
import { UNUSABLE_PASSWORD_HASH, verifyPassword } from '../../platform/auth/password.ts'
import { users } from '../users/users.table.ts'

interface Page {
  items: { id: number; name: string; email: string }[]
  nextCursor: string | null
}

describe('customers', () => {
  let t: TestApp
  let call: ReturnType<typeof caller>
  let alice: TestUser
  let bob: TestUser
  let mechanic: TestUser
  let advisor: TestUser
  let admin: TestUser

  const userRow = async (id: number) => (await t.app.db.select().from(users).where(eq(users.id, id)))[0]

  beforeAll(async () => {
    t = await buildTestApp()
    call = caller(t.app)
    ;({ customerA: alice, customerB: bob, mechanic, advisor, admin } = await castOf(t.app.db, { customerA: { name: 'Alice 100% Real' }, customerB: { name: 'Bob_Builder' } }))
  })
  afterAll(async () => t?.close())

  describe('GET /api/customers/:id/vehicles', () => {
    it("gives the customer and staff all the customer's vehicles by id", async () => {
      const owner = await createUser(t.app.db)
      const ids = [(await createVehicle(t.app.db, owner.id)).id, (await createVehicle(t.app.db, owner.id)).id]
      await createVehicle(t.app.db, alice.id)
      for (const user of [owner, mechanic, advisor, admin]) {
        const res = await call(user, 'GET', `/api/customers/${owner.id}/vehicles`)
        expect(res.statusCode).toBe(200)
        expect(Object.keys(res.json())).toEqual(['items'])
        expect(res.json().items.map((v: { id: number }) => v.id)).toEqual(ids)
        expect(res.json().items[0]).toMatchObject({ ownerId: owner.id, make: 'Ford', createdAt: expect.any(String) })
        expect(['HIT', 'MISS']).toContain(res.headers['x-cache'])
      }
    })

    it("is 404 for another customer's id, a staff id and an unknown id", async () => {
      for (const [user, id] of [
        [bob, alice.id],
        [alice, bob.id],
        [advisor, mechanic.id],
        [admin, admin.id],
        [advisor, 2_000_000_000],
      ] as const) {
        const res = await call(user, 'GET', `/api/customers/${id}/vehicles`)
        expect(res.statusCode).toBe(404)
        expect(res.json().code).toBe('ECAR_ERR_CUSTOMER_NOT_FOUND')
      }
      expect((await call(undefined, 'GET', `/api/customers/${alice.id}/vehicles`)).statusCode).toBe(401)
      expect((await call(advisor, 'GET', '/api/customers/abc/vehicles')).statusCode).toBe(400)
    })

    it('caches an empty list like any other: the second call is a HIT with no database query', async () => {
      const empty = await createUser(t.app.db)
      const first = await call(empty, 'GET', `/api/customers/${empty.id}/vehicles`)
      expect(first.statusCode).toBe(200)
      expect(first.json()).toEqual({ items: [] })
      expect(first.headers['x-cache']).toBe('MISS')
      expect(first.headers['cache-control']).toMatch(/private/)
      const before = t.app.database.queries.count
      const second = await call(empty, 'GET', `/api/customers/${empty.id}/vehicles`)
      expect(t.app.database.queries.count).toBe(before)
      expect(second.json()).toEqual({ items: [] })
      expect(second.headers['x-cache']).toBe('HIT')
    })

    it('does not cache an unknown id: a customer created later sees their list', async () => {
      const probe = await call(advisor, 'GET', `/api/customers/${2_000_000_001}/vehicles`)
      expect(probe.statusCode).toBe(404)
      const created = (await call(advisor, 'POST', '/api/customers', { email: `late-${Date.now()}@example.test`, name: 'Late' })).json()
      expect((await call(advisor, 'GET', `/api/customers/${created.id}/vehicles`)).json()).toEqual({ items: [] })
      const vehicle = (await call(advisor, 'POST', '/api/vehicles', vehicleBody({ ownerId: created.id }))).json()
      expect((await call(advisor, 'GET', `/api/customers/${created.id}/vehicles`)).json().items.map((v: { id: number }) => v.id)).toEqual([
        vehicle.id,
      ])
    })
  })

  describe('GET /api/customers and /api/customers/:id', () => {
    it('lists customers only, to staff only', async () => {
      for (const user of [mechanic, advisor, admin]) {
        const res = await call(user, 'GET', '/api/customers?limit=200')
        expect(res.statusCode).toBe(200)
        const ids = (res.json() as Page).items.map((c) => c.id)
        expect(ids).toEqual(expect.arrayContaining([alice.id, bob.id]))
        expect(ids).not.toContain(mechanic.id)
        expect(ids).not.toContain(admin.id)
      }
      expect((await call(alice, 'GET', '/api/customers')).statusCode).toBe(403)
      expect((await call(undefined, 'GET', '/api/customers')).statusCode).toBe(401)
    })

    it('searches name, email and phone literally', async () => {
      const search = async (q: string) =>
        ((await call(advisor, 'GET', `/api/customers?limit=200&q=${encodeURIComponent(q)}`)).json() as Page).items.map((c) => c.id)
      expect(await search('100%')).toEqual([alice.id])
      expect(await search('b_b')).toEqual([bob.id])
      expect(await search('%')).toEqual([alice.id])
      expect(await search(alice.email.toUpperCase())).toEqual([alice.id])
      const phoned = (await call(advisor, 'POST', '/api/customers', { email: `ph-${Date.now()}@example.test`, name: 'Phoned', phone: '+31 (20) 555-0199' })).json()
      expect(await search('(20) 555')).toEqual([phoned.id])
    })

    it('pages without duplicates or gaps and refuses a bad cursor or limit', async () => {
      const seen: number[] = []
      let cursor: string | null = null
      do {
        const res = await call(advisor, 'GET', `/api/customers?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
        const page = res.json() as Page
        expect(page.items.length).toBeLessThanOrEqual(2)
        seen.push(...page.items.map((c) => c.id))
        cursor = page.nextCursor
      } while (cursor)
      const all = ((await call(advisor, 'GET', '/api/customers?limit=200')).json() as Page).items.map((c) => c.id)
      expect(seen).toEqual(all)
      expect(new Set(seen).size).toBe(seen.length)
      for (const query of ['cursor=nope!', 'limit=0', 'limit=201']) expect((await call(advisor, 'GET', `/api/customers?${query}`)).statusCode).toBe(400)
    })

    it('shows a customer to themself and to staff, 404 to anyone else', async () => {
      const self = await call(alice, 'GET', `/api/customers/${alice.id}`)
      expect(self.statusCode).toBe(200)
      // The front desk's notes are staff-only.
      expect(Object.keys(self.json()).sort()).toEqual(['active', 'createdAt', 'email', 'id', 'name', 'phone', 'remindersConsent', 'updatedAt'])
      expect(self.json()).toMatchObject({ id: alice.id, email: alice.email, active: true, phone: null, remindersConsent: false })
      expect((await call(advisor, 'GET', `/api/customers/${alice.id}`)).json()).toMatchObject({ notes: null })
      expect((await call(mechanic, 'GET', `/api/customers/${alice.id}`)).statusCode).toBe(200)
      for (const [user, id] of [[bob, alice.id], [advisor, mechanic.id], [advisor, 2_000_000_000]] as const) {
        const res = await call(user, 'GET', `/api/customers/${id}`)
        expect(res.statusCode).toBe(404)
        expect(res.json().code).toBe('ECAR_ERR_CUSTOMER_NOT_FOUND')
      }
    })
  })

  describe('POST /api/customers', () => {
    it('opens an account without a password that no password unlocks', async () => {
      const res = await call(advisor, 'POST', '/api/customers', { email: `Desk-${Date.now()}@Example.TEST`, name: ' Walk In ' })
      expect(res.statusCode).toBe(201)
      const customer = res.json()
      expect(customer).toMatchObject({ name: 'Walk In', phone: null, active: true })
      expect(customer.email).toBe(customer.email.toLowerCase())
      const row = await userRow(customer.id)
      expect(row).toMatchObject({ role: 'customer', passwordHash: UNUSABLE_PASSWORD_HASH })
      expect(await verifyPassword('', row!.passwordHash)).toBe(false)
    })

    it('hashes a given password', async () => {
      const res = await call(admin, 'POST', '/api/customers', { email: `pw-${Date.now()}@example.test`, name: 'With Password', password: 'a good long password' })
      expect(res.statusCode).toBe(201)
      const row = await userRow(res.json().id)
      expect(row!.passwordHash).not.toContain('a good long password')
      expect(await verifyPassword('a good long password', row!.passwordHash)).toBe(true)
    })

    it('refuses a taken email in any case with 409', async () => {
      const res = await call(advisor, 'POST', '/api/customers', { email: alice.email.toUpperCase(), name: 'Copy' })
      expect(res.statusCode).toBe(409)
      expect(res.json().code).toBe('ECAR_ERR_EMAIL_TAKEN')
    })

    it('lists every bad field', async () => {
      const res = await call(advisor, 'POST', '/api/customers', { email: 'not-an-email', name: ' ', phone: 'call me', password: 'short', id: 1, role: 'admin' })
      expect(res.statusCode).toBe(400)
      expect(errorFields(res)).toEqual(['body.email', 'body.id', 'body.name', 'body.password', 'body.phone', 'body.role'])
    })

    it('is for advisors and admins only', async () => {
      for (const user of [alice, mechanic]) {
        const res = await call(user, 'POST', '/api/customers', { email: `no-${Date.now()}@example.test`, name: 'Nope' })
        expect(res.statusCode).toBe(403)
      }
    })
  })
})
