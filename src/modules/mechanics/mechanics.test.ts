import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, type TestApp } from '../../../test/support/app.ts'
import { castOf, type Cast } from '../../../test/support/actors.ts'
import { createUser } from '../../../test/support/factories/users.ts'
import { caller, problemOf } from '../../../test/support/http.ts'
import type { Role } from '../../platform/auth/roles.ts'
import type { AccountChange } from '../users/index.ts'
import { mechanicsAfterAccountChange, mechanicsAfterAccountCreated } from './account-subscriptions.ts'

interface M {
  id: number
  name: string
  active: boolean
}

describe('GET /api/mechanics', () => {
  let t: TestApp
  let call: ReturnType<typeof caller>
  let cast: Cast
  beforeAll(async () => {
    t = await buildTestApp()
    call = caller(t.app)
    cast = await castOf(t.app.db)
  })
  afterAll(async () => t?.close())

  const list = async (query = '') => {
    const res = await call(cast.advisor, 'GET', `/api/mechanics?limit=200${query}`)
    expect(res.statusCode).toBe(200)
    return { items: res.json().items as M[], cache: res.headers['x-cache'] }
  }
  /** Reads twice: the second must be a HIT, or the freshness checks after it prove nothing. */
  const warm = async () => {
    await list()
    expect((await list()).cache).toBe('HIT')
  }
  const newMechanic = async () => {
    const res = await call(cast.admin, 'POST', '/api/users', { email: `mech-${randomBytes(4).toString('hex')}@example.test`, name: 'New Mechanic', role: 'mechanic', password: 'long enough password' })
    expect(res.statusCode).toBe(201)
    return res.json() as M & { email: string }
  }

  it('lists the mechanics only, by id, with id, name and active, for every staff role; customers get 403', async () => {
    const { items } = await list()
    expect(items).toEqual(expect.arrayContaining([{ id: cast.mechanic.id, name: cast.mechanic.name, active: true }, { id: cast.assignedMechanic.id, name: cast.assignedMechanic.name, active: true }]))
    expect(items.map((m) => m.id)).not.toContain(cast.advisor.id)
    expect(items.map((m) => m.id)).toEqual([...items.map((m) => m.id)].sort((a, b) => a - b))
    for (const user of [cast.mechanic, cast.admin]) expect((await call(user, 'GET', '/api/mechanics')).statusCode).toBe(200)
    expect(problemOf(await call(cast.customerA, 'GET', '/api/mechanics'))).toEqual({ status: 403, code: 'ECAR_ERR_FORBIDDEN' })
    expect((await call(cast.advisor, 'GET', '/api/mechanics?role=admin')).statusCode).toBe(400)
  })

  it('a mechanic created with POST /api/users shows at once', async () => {
    await warm()
    const created = await newMechanic()
    const after = await list()
    expect(after.cache).toBe('MISS')
    expect(after.items).toContainEqual({ id: created.id, name: 'New Mechanic', active: true })
  })

  it("shows a mechanic's rename, deactivation and role changes at once, and filters by ?active=", async () => {
    const m = await newMechanic()
    await warm()
    await call(cast.admin, 'PATCH', `/api/users/${m.id}`, { name: 'Renamed Mechanic' })
    expect((await list()).items).toContainEqual({ id: m.id, name: 'Renamed Mechanic', active: true })
    await warm()
    await call(cast.admin, 'PATCH', `/api/users/${m.id}`, { active: false })
    expect((await list()).items).toContainEqual({ id: m.id, name: 'Renamed Mechanic', active: false })
    expect((await list('&active=true')).items.map((x) => x.id)).not.toContain(m.id)
    expect((await list('&active=false')).items.map((x) => x.id)).toContain(m.id)
    await warm()
    await call(cast.admin, 'PATCH', `/api/users/${m.id}`, { role: 'advisor', active: true })
    expect((await list()).items.map((x) => x.id)).not.toContain(m.id)
    await warm()
    await call(cast.admin, 'PATCH', `/api/users/${m.id}`, { role: 'mechanic' })
    expect((await list()).items).toContainEqual({ id: m.id, name: 'Renamed Mechanic', active: true })
  })

  it("shows a mechanic's own rename (PATCH /api/auth/me) at once", async () => {
    const m = await createUser(t.app.db, { role: 'mechanic' })
    await warm()
    expect((await call(m, 'PATCH', '/api/auth/me', { name: 'Self Renamed' })).statusCode).toBe(200)
    expect((await list()).items).toContainEqual({ id: m.id, name: 'Self Renamed', active: true })
  })

  it("leaves the cached list alone when a customer's account changes", async () => {
    const customer = await createUser(t.app.db)
    await warm()
    expect((await call(cast.admin, 'PATCH', `/api/users/${customer.id}`, { name: 'Customer Rename' })).statusCode).toBe(200)
    expect((await call(customer, 'PATCH', '/api/auth/me', { name: 'Own Rename' })).statusCode).toBe(200)
    expect((await list()).cache).toBe('HIT')
  })

  it('pages by id', async () => {
    const first = (await call(cast.advisor, 'GET', '/api/mechanics?limit=1')).json()
    expect(first.items).toHaveLength(1)
    const second = (await call(cast.advisor, 'GET', `/api/mechanics?limit=1&cursor=${first.nextCursor}`)).json()
    expect(second.items[0].id).toBeGreaterThan(first.items[0].id)
  })
})

describe('which account events touch `mechanics`', () => {
  const change = (fields: Partial<AccountChange>): AccountChange => ({
    userId: 1,
    wasCustomer: false,
    accessChanged: false,
    name: false,
    phone: false,
    email: false,
    password: false,
    endSessions: false,
    ...fields,
  })
  const roles = (before: Role, after: Role) => ({ roles: { before, after } })
  const CASES: [what: string, change: AccountChange, touches: boolean][] = [
    ['a mechanic renamed by an admin', change({ name: true, ...roles('mechanic', 'mechanic') }), true],
    ['a mechanic deactivated', change({ accessChanged: true, ...roles('mechanic', 'mechanic') }), true],
    ['a mechanic made an advisor', change({ accessChanged: true, ...roles('mechanic', 'advisor') }), true],
    ['a customer made a mechanic', change({ wasCustomer: true, accessChanged: true, ...roles('customer', 'mechanic') }), true],
    ['an advisor renamed by an admin', change({ name: true, ...roles('advisor', 'advisor') }), false],
    ['an advisor made an admin', change({ accessChanged: true, ...roles('advisor', 'admin') }), false],
    ['a mechanic\'s phone or password changed', change({ phone: true, password: true, ...roles('mechanic', 'mechanic') }), false],
    ['a staff member renaming themself (roles unknown)', change({ name: true }), true],
    ['a customer renaming themself or renamed at the desk', change({ wasCustomer: true, name: true }), false],
  ]
  it.each(CASES)('%s: %s', async (_what, c, touches) => {
    const touched: string[] = []
    await mechanicsAfterAccountChange(null as never, (...tags) => void touched.push(...tags), c)
    expect(touched).toEqual(touches ? ['mechanics'] : [])
  })

  it.each([['mechanic', true], ['advisor', false], ['admin', false], ['customer', false]] as const)('a new %s account: %s', async (role, touches) => {
    const touched: string[] = []
    await mechanicsAfterAccountCreated(null as never, (...tags) => void touched.push(...tags), { userId: 1, role })
    expect(touched).toEqual(touches ? ['mechanics'] : [])
  })
})
