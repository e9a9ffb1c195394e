import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, type TestApp } from '../../../test/support/app.ts'
import { castOf } from '../../../test/support/actors.ts'
import { createUser, type TestUser } from '../../../test/support/factories/users.ts'
import { createVehicle } from '../../../test/support/factories/vehicles.ts'
import { caller, errorFields } from '../../../test/support/http.ts'
import { encodeCursor } from '../../platform/http/pagination.ts'

interface Page {
  items: { id: number; licensePlate: string; ownerId: number }[]
  nextCursor: string | null
}

describe('vehicles: search and pagination', () => {
  let t: TestApp
  let call: ReturnType<typeof caller>
  let advisor: TestUser
  let owner: TestUser

  const plates = async (user: TestUser, query: string) => {
    const res = await call(user, 'GET', `/api/vehicles?${query}`)
    expect(res.statusCode, query).toBe(200)
    return (res.json() as Page).items.map((v) => v.licensePlate).sort()
  }

  // Plates use Q, which no VIN and no factory make or model contains, so a search matches plates only.
  beforeAll(async () => {
    t = await buildTestApp()
    call = caller(t.app)
    ;({ advisor, customerA: owner } = await castOf(t.app.db))
    for (const licensePlate of ['Q%12', 'Q_12', 'Q*12', 'QX12', 'qc12', 'ZZ\\9']) {
      await createVehicle(t.app.db, owner.id, { licensePlate })
    }
  })
  afterAll(async () => t?.close())

  it('matches %, _, * and \\ literally', async () => {
    const q = (text: string) => `ownerId=${owner.id}&q=${encodeURIComponent(text)}`
    expect(await plates(advisor, q('%'))).toEqual(['Q%12'])
    expect(await plates(advisor, q('Q_1'))).toEqual(['Q_12'])
    expect(await plates(advisor, q('_'))).toEqual(['Q_12'])
    expect(await plates(advisor, q('*'))).toEqual(['Q*12'])
    expect(await plates(advisor, q('Q*1'))).toEqual(['Q*12'])
    expect(await plates(advisor, q('\\'))).toEqual(['ZZ\\9'])
    expect(await plates(advisor, q('q%1'))).toEqual(['Q%12'])
    expect(await plates(advisor, q('Q'))).toEqual(['Q%12', 'Q*12', 'QX12', 'Q_12', 'qc12'].sort())
    expect(await plates(advisor, q('nothing-like-this'))).toEqual([])
  })

  it('searches make, model and VIN case-insensitively', async () => {
    const special = await createVehicle(t.app.db, owner.id, { make: 'Škoda', model: 'Octavia RS', licensePlate: 'SK-1' })
    const search = async (text: string) =>
      ((await call(advisor, 'GET', `/api/vehicles?q=${encodeURIComponent(text)}&limit=200`)).json() as Page).items.map((v) => v.id)
    expect(await search('KODA')).toEqual([special.id])
    expect(await search('octavia r')).toEqual([special.id])
    expect(await search(special.vin.slice(3, 12).toLowerCase())).toEqual([special.id])
  })

  it('searches within a customer own vehicles only', async () => {
    const other = await createUser(t.app.db)
    await createVehicle(t.app.db, other.id, { licensePlate: 'Q%99' })
    expect(await plates(owner, `q=${encodeURIComponent('%')}`)).toEqual(['Q%12'])
    expect(await plates(other, `q=Q`)).toEqual(['Q%99'])
  })

  it('walks every page without duplicates or gaps', async () => {
    const pager = await createUser(t.app.db)
    const ids: number[] = []
    for (let i = 0; i < 7; i++) ids.push((await createVehicle(t.app.db, pager.id)).id)
    for (const user of [advisor, pager]) {
      const seen: number[] = []
      const sizes: number[] = []
      let cursor: string | null = null
      do {
        const query: string = `ownerId=${pager.id}&limit=3${cursor ? `&cursor=${cursor}` : ''}`
        const res = await call(user, 'GET', `/api/vehicles?${query}`)
        expect(res.statusCode).toBe(200)
        const page = res.json() as Page
        sizes.push(page.items.length)
        seen.push(...page.items.map((v) => v.id))
        cursor = page.nextCursor
      } while (cursor)
      expect(sizes).toEqual([3, 3, 1])
      expect(seen).toEqual(ids)
    }
    // A page that ends exactly at the last row says so.
    const exact = (await call(advisor, 'GET', `/api/vehicles?ownerId=${pager.id}&limit=7`)).json() as Page
    expect(exact.items).toHaveLength(7)
    expect(exact.nextCursor).toBeNull()
  })

  it('pages through search results too', async () => {
    const first = (await call(advisor, 'GET', `/api/vehicles?ownerId=${owner.id}&q=Q&limit=2`)).json() as Page
    const second = (await call(advisor, 'GET', `/api/vehicles?ownerId=${owner.id}&q=Q&limit=2&cursor=${first.nextCursor}`)).json() as Page
    const third = (await call(advisor, 'GET', `/api/vehicles?ownerId=${owner.id}&q=Q&limit=2&cursor=${second.nextCursor}`)).json() as Page
    expect([...first.items, ...second.items, ...third.items].map((v) => v.licensePlate).sort()).toEqual(
      ['Q%12', 'Q*12', 'QX12', 'Q_12', 'qc12'].sort(),
    )
    expect(third.nextCursor).toBeNull()
  })

  it('defaults to 50 items per page', async () => {
    const bulk = await createUser(t.app.db)
    for (let i = 0; i < 51; i++) await createVehicle(t.app.db, bulk.id)
    const page = (await call(advisor, 'GET', `/api/vehicles?ownerId=${bulk.id}`)).json() as Page
    expect(page.items).toHaveLength(50)
    expect(page.nextCursor).not.toBeNull()
  })

  it('refuses a malformed cursor with 400', async () => {
    const bad = ['garbage!', 'abc', Buffer.from('{"after":"x"}').toString('base64url'), Buffer.from('[1]').toString('base64url'), encodeCursor(1) + '%3D']
    for (const cursor of bad) {
      const res = await call(advisor, 'GET', `/api/vehicles?cursor=${cursor}`)
      expect(res.statusCode, cursor).toBe(400)
      expect(errorFields(res)).toEqual(['querystring.cursor'])
    }
  })

  it('refuses limits outside 1 to 200 and unknown parameters with 400', async () => {
    for (const query of ['limit=0', 'limit=201', 'limit=-1', 'limit=abc', 'limit=1.5', 'ownerId=abc', 'sort=id', `q=${'x'.repeat(101)}`]) {
      const res = await call(advisor, 'GET', `/api/vehicles?${query}`)
      expect(res.statusCode, query).toBe(400)
    }
    expect((await call(advisor, 'GET', '/api/vehicles?limit=1')).statusCode).toBe(200)
    expect((await call(advisor, 'GET', '/api/vehicles?limit=200')).statusCode).toBe(200)
  })
})
