import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, testDbKind, type TestApp } from '../../../test/support/app.ts'
import { createLinkToken } from '../../../test/support/factories/auth.ts'
import { castOf } from '../../../test/support/actors.ts'
import { createDeskCustomer, createUser, TEST_PASSWORD, type TestUser } from '../../../test/support/factories/users.ts'
import { createVehicle, vehicleBody } from '../../../test/support/factories/vehicles.ts'
import { caller, errorFields } from '../../../test/support/http.ts'

describe('changing customers and emails (#13.4, #13.5)', () => {
  let t: TestApp
  let call: ReturnType<typeof caller>
  let advisor: TestUser
  let admin: TestUser
  let mechanic: TestUser

  const login = (email: string, password: string) => t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } })
  const accept = (token: string) => t.app.inject({ method: 'POST', url: `/api/auth/invitations/${token}`, payload: { password: 'a fresh passphrase' } })

  beforeAll(async () => {
    t = await buildTestApp()
    call = caller(t.app)
    ;({ advisor, admin, mechanic } = await castOf(t.app.db))
  })
  afterAll(async () => t?.close())

  describe('PATCH /api/customers/:id', () => {
    it('lets an advisor fix name, phone, email, notes and reminders consent', async () => {
      const customer = await createUser(t.app.db)
      const email = `Fixed-${Date.now()}@Example.TEST`
      const res = await call(advisor, 'PATCH', `/api/customers/${customer.id}`, {
        name: ' Fixed Name ',
        phone: '+44 20 7946 0000',
        email,
        notes: 'Prefers calls after 5pm',
        remindersConsent: true,
      })
      expect(res.statusCode).toBe(200)
      expect(res.json()).toMatchObject({ id: customer.id, name: 'Fixed Name', phone: '+44 20 7946 0000', email: email.toLowerCase(), notes: 'Prefers calls after 5pm', remindersConsent: true })
      expect((await call(customer, 'GET', `/api/customers/${customer.id}`)).json()).toMatchObject({ name: 'Fixed Name', remindersConsent: true })
      expect((await call(customer, 'GET', `/api/customers/${customer.id}`)).json()).not.toHaveProperty('notes')
      // The session stays valid and shows the new name and email at once.
      expect((await call(customer, 'GET', '/api/auth/me')).json()).toMatchObject({ name: 'Fixed Name', email: email.toLowerCase() })
      expect((await login(email, TEST_PASSWORD)).statusCode).toBe(200)
      const cleared = await call(admin, 'PATCH', `/api/customers/${customer.id}`, { phone: null, notes: null })
      expect(cleared.json()).toMatchObject({ phone: null, notes: null })
    })

    it('refuses a taken email with 409 ECAR_ERR_EMAIL_TAKEN and changes nothing', async () => {
      const [a, b] = [await createUser(t.app.db), await createUser(t.app.db)]
      const res = await call(advisor, 'PATCH', `/api/customers/${a.id}`, { email: b.email.toUpperCase(), name: 'Should Not Stick' })
      expect(res.statusCode).toBe(409)
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
      expect(res.json().code).toBe('ECAR_ERR_EMAIL_TAKEN')
      expect((await call(advisor, 'GET', `/api/customers/${a.id}`)).json()).toMatchObject({ email: a.email, name: a.name })
    })

    it('refuses bad and read-only fields, staff ids and unknown ids, and is for advisors and admins only', async () => {
      const customer = await createUser(t.app.db)
      const bad = await call(advisor, 'PATCH', `/api/customers/${customer.id}`, { email: 'nope', name: ' ', id: 3, role: 'admin', remindersConsent: 'yes' })
      expect(bad.statusCode).toBe(400)
      expect(errorFields(bad)).toEqual(['body.email', 'body.id', 'body.name', 'body.remindersConsent', 'body.role'])
      expect((await call(advisor, 'PATCH', `/api/customers/${customer.id}`, {})).statusCode).toBe(400)
      expect((await call(advisor, 'PATCH', `/api/customers/${mechanic.id}`, { name: 'Not a customer' })).statusCode).toBe(404)
      expect((await call(advisor, 'PATCH', '/api/customers/2000000000', { name: 'Ghost' })).statusCode).toBe(404)
      expect((await call(customer, 'PATCH', `/api/customers/${customer.id}`, { name: 'Self' })).statusCode).toBe(403)
      expect((await call(mechanic, 'PATCH', `/api/customers/${customer.id}`, { name: 'Mech' })).statusCode).toBe(403)
    })

    it("a name or phone change makes staff vehicle answers miss (they carry the owner): touches vehicles and the vehicle's tag", async () => {
      const owner = await createUser(t.app.db)
      const vehicle = await createVehicle(t.app.db, owner.id)
      for (const url of ['/api/vehicles', `/api/vehicles/${vehicle.id}`]) {
        await call(advisor, 'GET', url)
        expect((await call(advisor, 'GET', url)).headers['x-cache']).toBe('HIT')
      }
      expect((await call(advisor, 'PATCH', `/api/customers/${owner.id}`, { phone: '+1 555 0199' })).statusCode).toBe(200)
      for (const url of ['/api/vehicles', `/api/vehicles/${vehicle.id}`]) expect((await call(advisor, 'GET', url)).headers['x-cache']).toBe('MISS')
    })

    it('a PATCH that changes nothing keeps updatedAt (staff on a customer, and the own account)', async () => {
      const customer = await createUser(t.app.db, { name: 'Same Name' })
      const before = (await call(advisor, 'GET', `/api/customers/${customer.id}`)).json().updatedAt as string
      await new Promise((r) => setTimeout(r, 20))
      const same = await call(advisor, 'PATCH', `/api/customers/${customer.id}`, { name: 'Same Name', remindersConsent: false, notes: null })
      expect(same.statusCode).toBe(200)
      expect(same.json().updatedAt).toBe(before)
      const own = await call(customer, 'PATCH', '/api/auth/me', { name: 'Same Name', phone: null })
      expect(own.statusCode).toBe(200)
      expect(own.json().updatedAt).toBe(before)
      const changed = await call(advisor, 'PATCH', `/api/customers/${customer.id}`, { notes: 'Now a note' })
      expect(changed.json().updatedAt).not.toBe(before)
      const ownChanged = await call(customer, 'PATCH', '/api/auth/me', { phone: '07700 900777' })
      expect(ownChanged.json().updatedAt).not.toBe(changed.json().updatedAt)
    })

    it('a new email retires the unused invitation mailed to the old one', async () => {
      const desk = await createDeskCustomer(t.app.db)
      const { token } = await createLinkToken(t.app.db, desk.id, 'invitation')
      expect((await call(advisor, 'PATCH', `/api/customers/${desk.id}`, { email: `moved-${Date.now()}@example.test` })).statusCode).toBe(200)
      expect((await accept(token)).statusCode).toBe(410)
    })
  })

  describe('email changes elsewhere', () => {
    it('PATCH /api/auth/me changes the own email only with the current password', async () => {
      const user = await createUser(t.app.db)
      const email = `me-${Date.now()}@example.test`
      const without = await call(user, 'PATCH', '/api/auth/me', { email })
      expect(without.statusCode).toBe(400)
      expect(errorFields(without)).toEqual(['body.currentPassword'])
      const wrong = await call(user, 'PATCH', '/api/auth/me', { email, currentPassword: 'not the password' })
      expect(wrong.json().code).toBe('ECAR_ERR_BAD_CURRENT_PASSWORD')
      const taken = await call(user, 'PATCH', '/api/auth/me', { email: advisor.email, currentPassword: TEST_PASSWORD })
      expect(taken.statusCode).toBe(409)
      expect(taken.json().code).toBe('ECAR_ERR_EMAIL_TAKEN')
      const ok = await call(user, 'PATCH', '/api/auth/me', { email: email.toUpperCase(), currentPassword: TEST_PASSWORD })
      expect(ok.statusCode).toBe(200)
      expect(ok.json().email).toBe(email)
      expect((await call(user, 'GET', '/api/auth/me')).json().email).toBe(email)
      expect((await login(email, TEST_PASSWORD)).statusCode).toBe(200)
      expect((await login(user.email, TEST_PASSWORD)).statusCode).toBe(401)
    })

    it("PATCH /api/users/:id lets an admin change a staff member's email (409 when taken)", async () => {
      const staff = await createUser(t.app.db, { role: 'advisor' })
      const email = `staff-${Date.now()}@example.test`
      const res = await call(admin, 'PATCH', `/api/users/${staff.id}`, { email })
      expect(res.statusCode).toBe(200)
      expect(res.json().email).toBe(email)
      expect((await call(staff, 'GET', '/api/auth/me')).json().email).toBe(email)
      const taken = await call(admin, 'PATCH', `/api/users/${staff.id}`, { email: mechanic.email })
      expect(taken.statusCode).toBe(409)
      expect(taken.json().code).toBe('ECAR_ERR_EMAIL_TAKEN')
    })
  })

  describe('role changes of a customer who owns vehicles (#13.4)', () => {
    it('is 409 ECAR_ERR_OWNS_VEHICLES while they own vehicles, and allowed once the vehicles moved', async () => {
      const owner = await createUser(t.app.db)
      const other = await createUser(t.app.db)
      const vehicle = await createVehicle(t.app.db, owner.id)
      const res = await call(admin, 'PATCH', `/api/users/${owner.id}`, { role: 'mechanic' })
      expect(res.statusCode).toBe(409)
      expect(res.json().code).toBe('ECAR_ERR_OWNS_VEHICLES')
      expect((await call(advisor, 'GET', `/api/customers/${owner.id}/vehicles`)).json().items).toHaveLength(1)
      // Deactivation keeps the vehicles and their history: allowed.
      expect((await call(admin, 'PATCH', `/api/users/${owner.id}`, { active: false })).statusCode).toBe(200)
      expect((await call(advisor, 'GET', `/api/customers/${owner.id}/vehicles`)).statusCode).toBe(200)
      expect((await call(advisor, 'PATCH', `/api/vehicles/${vehicle.id}`, { ownerId: other.id })).statusCode).toBe(200)
      expect((await call(admin, 'PATCH', `/api/users/${owner.id}`, { role: 'mechanic' })).statusCode).toBe(200)
      // And back: a staff account may become a customer.
      expect((await call(admin, 'PATCH', `/api/users/${owner.id}`, { role: 'customer', active: true })).statusCode).toBe(200)
    })

    it.skipIf(testDbKind() !== 'postgres')('racing a role change against giving the customer a vehicle never leaves staff owning one', async () => {
      for (let round = 0; round < 8; round++) {
        const customer = await createUser(t.app.db)
        const [role, vehicle] = await Promise.all([
          call(admin, 'PATCH', `/api/users/${customer.id}`, { role: 'mechanic' }),
          call(advisor, 'POST', '/api/vehicles', vehicleBody({ ownerId: customer.id })),
        ])
        // Exactly one of the two wins.
        expect([role.statusCode, vehicle.statusCode].filter((s) => s < 300).length, `${role.body} ${vehicle.body}`).toBe(1)
        const user = (await call(admin, 'GET', `/api/users/${customer.id}`)).json()
        const owned = (await call(advisor, 'GET', `/api/vehicles?ownerId=${customer.id}`)).json().items
        expect(user.role === 'customer' || owned.length === 0).toBe(true)
      }
    })
  })
})
