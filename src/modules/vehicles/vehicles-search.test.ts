import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, type TestApp } from '../../../test/support/app.ts'
import { castOf } from '../../../test/support/actors.ts'
import type { TestUser } from '../../../test/support/factories/users.ts'
import { createVehicle, vehicleBody } from '../../../test/support/factories/vehicles.ts'
import { caller } from '../../../test/support/http.ts'

interface Item {
  id: number
  ownerId: number
  licensePlate: string
  owner?: { id: number; name: string; phone: string | null }
}

/** The contract's `?q=` rule on GET /api/vehicles, as a front desk uses it, and `owner` on staff answers. */
describe('vehicles: front-desk search and owner', () => {
  let t: TestApp
  let call: ReturnType<typeof caller>
  let advisor: TestUser
  let owner: TestUser
  let other: TestUser
  const ids: Record<string, number> = {}
  const sorted = (...list: (number | undefined)[]) => list.map(Number).sort((a, b) => a - b)

  const search = async (q: string, user: TestUser = advisor) => {
    const res = await call(user, 'GET', `/api/vehicles?limit=200&q=${encodeURIComponent(q)}`)
    expect(res.statusCode, q).toBe(200)
    return (res.json().items as Item[]).map((v) => v.id).sort((a, b) => a - b)
  }

  beforeAll(async () => {
    t = await buildTestApp()
    call = caller(t.app)
    ;({ advisor, customerA: owner, customerB: other } = await castOf(t.app.db, { customerA: { name: 'Jane Whitfield' }, customerB: { name: 'Omar Castellano' } }))
    const add = async (key: string, ownerId: number, fields: Record<string, unknown>) => {
      ids[key] = (await createVehicle(t.app.db, ownerId, fields)).id
    }
    await add('focus', owner.id, { make: 'Ford', model: 'Focus', licensePlate: 'AB18 CDE', vin: '1FADP3F20JL123456' })
    await add('fiesta', other.id, { make: 'Ford', model: 'Fiesta', licensePlate: 'KX-67.ABC', vin: 'WF0DXXGAKDHJ54321' })
    await add('corolla', other.id, { make: 'Toyota', model: 'Corolla', licensePlate: 'ZZ 99/ZZ', vin: 'JTDKB20U093123789' })
    await add('dash', other.id, { make: 'Škoda', model: 'Octavia', licensePlate: 'P-1', vin: 'TMBJJ7NE1J0987654' })
  })
  afterAll(async () => t?.close())

  it('finds every word in plate, VIN, make or model: "Ford Focus" is the Focus only', async () => {
    expect(await search('Ford Focus')).toEqual([ids.focus])
    expect(await search('ford')).toEqual(sorted(ids.focus, ids.fiesta))
    expect(await search('  FOCUS   ford ')).toEqual([ids.focus])
    expect(await search('Ford Corolla')).toEqual([])
    expect(await search('Toyota ZZ99')).toEqual([ids.corolla])
  })

  it('finds a plate typed without its spaces, dashes, dots or slashes, in any case', async () => {
    expect(await search('AB18CDE')).toEqual([ids.focus])
    expect(await search('ab18cde')).toEqual([ids.focus])
    expect(await search('AB18-CDE')).toEqual([ids.focus])
    expect(await search('ab18 cde')).toEqual([ids.focus])
    expect(await search('KX67ABC')).toEqual([ids.fiesta])
    expect(await search('kx 67 abc')).toEqual([ids.fiesta])
    expect(await search('ZZ99ZZ')).toEqual([ids.corolla])
    expect(await search('ZZ 99/ZZ')).toEqual([ids.corolla])
    expect(await search('8CD')).toEqual([ids.focus])
  })

  it('finds part of a VIN in any case', async () => {
    expect(await search('jl123456')).toEqual([ids.focus])
    expect(await search('WF0DXX')).toEqual([ids.fiesta])
  })

  it('compares after NFKC and without regard to case beyond ASCII', async () => {
    expect(await search('ＡＢ１８ＣＤＥ')).toEqual([ids.focus])
    expect(await search('ＦＯＲＤ　ＦＯＣＵＳ')).toEqual([ids.focus])
    expect(await search('ŠKODA')).toEqual([ids.dash])
  })

  it('matches a word of punctuation only literally, and metacharacters as themselves', async () => {
    expect(await search('-')).toEqual(sorted(ids.fiesta, ids.dash))
    expect(await search('/')).toEqual([ids.corolla])
    expect(await search('%')).toEqual([])
    expect(await search('_')).toEqual([])
    expect(await search('AB18_CDE')).toEqual([])
    expect(await search('Ford%')).toEqual([])
  })

  it('keeps a customer to their own vehicles when searching, and shows them no owner', async () => {
    expect(await search('Ford', other)).toEqual([ids.fiesta])
    const own = await call(owner, 'GET', '/api/vehicles?q=AB18CDE')
    expect(own.json().items).toHaveLength(1)
    expect(own.json().items[0]).not.toHaveProperty('owner')
    const one = await call(owner, 'GET', `/api/vehicles/${ids.focus}`)
    expect(one.json()).not.toHaveProperty('owner')
  })

  it('gives staff the owner (id, name, phone) on lists, reads, creates and updates', async () => {
    const expected = { id: owner.id, name: 'Jane Whitfield', phone: null }
    const list = (await call(advisor, 'GET', '/api/vehicles?q=AB18CDE')).json().items as Item[]
    expect(list.map((v) => v.owner)).toEqual([expected])
    expect((await call(advisor, 'GET', '/api/vehicles?limit=200')).json().items.every((v: Item) => v.owner?.id === v.ownerId)).toBe(true)
    expect((await call(advisor, 'GET', `/api/vehicles/${ids.focus}`)).json().owner).toEqual(expected)
    const created = await call(advisor, 'POST', '/api/vehicles', vehicleBody({ ownerId: other.id }))
    expect(created.statusCode).toBe(201)
    expect(created.json().owner).toEqual({ id: other.id, name: 'Omar Castellano', phone: null })
    const moved = await call(advisor, 'PATCH', `/api/vehicles/${created.json().id}`, { ownerId: owner.id })
    expect(moved.statusCode).toBe(200)
    expect(moved.json().owner).toEqual(expected)
    const mine = await call(owner, 'POST', '/api/vehicles', vehicleBody())
    expect(mine.json()).not.toHaveProperty('owner')
  })
})
