import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, type TestApp } from '../../../test/support/app.ts'
import { castOf } from '../../../test/support/actors.ts'
import { createUser, type TestUser } from '../../../test/support/factories/users.ts'
import { vehicleBody } from '../../../test/support/factories/vehicles.ts'
import { caller } from '../../../test/support/http.ts'

interface V {
  id: number
  ownerId: number
  color: string
  mileage: number
}

/**
 * The seed's flaw: cached lists and cached customer vehicles kept showing the old state after a
 * write. Every read here is made twice before the write, so any cache in front of it is warm, and
 * once after: the write must show at once.
 */
describe('vehicles: every write shows in every read at once', () => {
  let t: TestApp
  let call: ReturnType<typeof caller>
  let advisor: TestUser
  let admin: TestUser

  beforeAll(async () => {
    t = await buildTestApp()
    call = caller(t.app)
    ;({ advisor, admin } = await castOf(t.app.db))
  })
  afterAll(async () => t?.close())

  /** What each view shows of one customer's vehicles, with the data cache's X-Cache. */
  async function views(customer: TestUser) {
    const own = await call(customer, 'GET', '/api/vehicles?limit=200')
    const staff = await call(advisor, 'GET', '/api/vehicles?limit=200')
    const staffFiltered = await call(admin, 'GET', `/api/vehicles?ownerId=${customer.id}&limit=200`)
    const data = await call(customer, 'GET', `/api/customers/${customer.id}/vehicles`)
    const dataAsStaff = await call(advisor, 'GET', `/api/customers/${customer.id}/vehicles`)
    for (const res of [own, staff, staffFiltered, data, dataAsStaff]) expect(res.statusCode).toBe(200)
    const items = (res: typeof own) => res.json().items as V[]
    return {
      own: items(own),
      staff: items(staff).filter((v) => v.ownerId === customer.id),
      staffAll: items(staff),
      staffFiltered: items(staffFiltered),
      data: items(data),
      dataAsStaff: items(dataAsStaff),
      dataCache: data.headers['x-cache'],
      listCache: [own, staff, staffFiltered].map((res) => res.headers['x-cache']),
    }
  }

  /** Reads everything twice so each cache is warm: the second reads must be HITs, or this test proves nothing. */
  async function warm(...customers: TestUser[]) {
    for (const customer of customers) {
      await views(customer)
      const again = await views(customer)
      expect(again.dataCache).toBe('HIT')
      expect(again.listCache).toEqual(['HIT', 'HIT', 'HIT'])
    }
  }

  /** Every view of the customer shows exactly these vehicles. */
  async function expectShown(customer: TestUser, expected: V[]) {
    const seen = await views(customer)
    const want = expected.map((v) => expect.objectContaining({ id: v.id, ownerId: v.ownerId, color: v.color, mileage: v.mileage }))
    for (const [name, list] of Object.entries({ own: seen.own, staff: seen.staff, staffFiltered: seen.staffFiltered, data: seen.data, dataAsStaff: seen.dataAsStaff }))
      expect(list, name).toEqual(want)
    return seen
  }

  /** Setup goes through the API too: a row inserted behind the writer's back is invisible to any cache by design. */
  const add = async (customer: TestUser, fields: Record<string, unknown> = {}) => {
    const res = await call(admin, 'POST', '/api/vehicles', vehicleBody({ ownerId: customer.id, ...fields }))
    expect(res.statusCode).toBe(201)
    return res.json() as V
  }

  const readOne = async (user: TestUser, id: number) => call(user, 'GET', `/api/vehicles/${id}`)

  it('create: the new vehicle shows at once', async () => {
    const customer = await createUser(t.app.db)
    const existing = await add(customer)
    await warm(customer)
    const created = (await call(customer, 'POST', '/api/vehicles', vehicleBody())).json() as V
    const seen = await expectShown(customer, [existing, created])
    expect(seen.dataCache).toBe('MISS')

    const byStaff = (await call(advisor, 'POST', '/api/vehicles', vehicleBody({ ownerId: customer.id }))).json() as V
    await expectShown(customer, [existing, created, byStaff])
  })

  it('create: the first vehicle of a customer whose empty list was cached shows at once', async () => {
    const customer = await createUser(t.app.db)
    await warm(customer)
    await expectShown(customer, [])
    await readOne(customer, 2_000_000_000)
    const created = (await call(customer, 'POST', '/api/vehicles', vehicleBody())).json() as V
    await expectShown(customer, [created])
    expect((await readOne(customer, created.id)).statusCode).toBe(200)
  })

  it('update: the change shows at once, in the lists and in the single vehicle', async () => {
    const customer = await createUser(t.app.db)
    const vehicle = await add(customer, { color: 'Blue', mileage: 1000 })
    await warm(customer)
    for (const user of [customer, advisor]) {
      await readOne(user, vehicle.id)
      expect((await readOne(user, vehicle.id)).json().color).toBe('Blue')
    }
    const byOwner = (await call(customer, 'PATCH', `/api/vehicles/${vehicle.id}`, { color: 'Orange' })).json() as V
    expect((await expectShown(customer, [byOwner])).dataCache).toBe('MISS')
    for (const user of [customer, advisor]) expect((await readOne(user, vehicle.id)).json().color).toBe('Orange')

    await warm(customer)
    const byAdmin = (await call(admin, 'PATCH', `/api/vehicles/${vehicle.id}`, { mileage: 1_010 })).json() as V
    expect(byAdmin.mileage).toBe(1_010)
    await expectShown(customer, [byAdmin])
    for (const user of [customer, advisor]) expect((await readOne(user, vehicle.id)).json().mileage).toBe(1_010)
  })

  it('delete: the vehicle disappears at once', async () => {
    const customer = await createUser(t.app.db)
    const kept = await add(customer)
    const doomed = await add(customer)
    await warm(customer)
    for (const user of [customer, advisor]) await readOne(user, doomed.id)
    expect((await call(customer, 'DELETE', `/api/vehicles/${doomed.id}`)).statusCode).toBe(204)
    const seen = await expectShown(customer, [kept])
    expect(seen.staffAll.map((v) => v.id)).not.toContain(doomed.id)
    for (const user of [customer, advisor]) expect((await readOne(user, doomed.id)).statusCode).toBe(404)

    await warm(customer)
    expect((await call(advisor, 'DELETE', `/api/vehicles/${kept.id}`)).statusCode).toBe(204)
    await expectShown(customer, [])
  })

  it('ownership change: the old owner loses and the new owner gains the vehicle at once', async () => {
    const from = await createUser(t.app.db)
    const to = await createUser(t.app.db)
    const stays = await add(from)
    const moves = await add(from)
    const theirs = await add(to)
    await warm(from, to)
    expect((await readOne(from, moves.id)).statusCode).toBe(200)
    expect((await readOne(to, moves.id)).statusCode).toBe(404)

    const moved = (await call(advisor, 'PATCH', `/api/vehicles/${moves.id}`, { ownerId: to.id })).json() as V
    expect(moved.ownerId).toBe(to.id)
    expect((await expectShown(from, [stays])).dataCache).toBe('MISS')
    expect((await expectShown(to, [moves, theirs].sort((a, b) => a.id - b.id).map((v) => ({ ...v, ownerId: to.id })))).dataCache).toBe(
      'MISS',
    )
    expect((await readOne(from, moves.id)).statusCode).toBe(404)
    expect((await readOne(to, moves.id)).json().ownerId).toBe(to.id)
    expect((await readOne(advisor, moves.id)).json().ownerId).toBe(to.id)
  })

  it('a refused write changes no view', async () => {
    const customer = await createUser(t.app.db)
    const vehicle = await add(customer, { mileage: 5000 })
    await warm(customer)
    expect((await call(customer, 'PATCH', `/api/vehicles/${vehicle.id}`, { mileage: 1 })).statusCode).toBe(409)
    await expectShown(customer, [vehicle])
  })
})
