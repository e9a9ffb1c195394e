import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, type TestApp } from '../../../test/support/app.ts'
import { createUser, type TestUser } from '../../../test/support/factories/users.ts'
import { createVehicle } from '../../../test/support/factories/vehicles.ts'
import { caller } from '../../../test/support/http.ts'

/** The contract's `?q=` rule on GET /api/customers: "the car arrives, find the customer" in one call. */
describe('customers: front-desk search', () => {
  let t: TestApp
  let call: ReturnType<typeof caller>
  let advisor: TestUser
  const ids: Record<string, number> = {}

  const search = async (q: string) => {
    const res = await call(advisor, 'GET', `/api/customers?limit=200&q=${encodeURIComponent(q)}`)
    expect(res.statusCode, q).toBe(200)
    return (res.json().items as { id: number }[]).map((c) => c.id).sort((a, b) => a - b)
  }
  const sorted = (...list: number[]) => [...list].sort((a, b) => a - b)

  beforeAll(async () => {
    t = await buildTestApp()
    call = caller(t.app)
    advisor = await createUser(t.app.db, { role: 'advisor' })
    const open = async (key: string, body: Record<string, unknown>) => {
      const res = await call(advisor, 'POST', '/api/customers', { email: `${key}${Date.now()}@example.test`, ...body })
      expect(res.statusCode).toBe(201)
      ids[key] = res.json().id
    }
    await open('sarah', { name: 'Sarah Pemberton', phone: '07700 900104' })
    await open('peter', { name: 'Peter Pemberton', phone: '+44 (0)20-7946.0958' })
    await open('zoe', { name: 'Zoë Ångström', phone: '020 7946 0000' })
    await createVehicle(t.app.db, ids.sarah!, { licensePlate: 'AB18 CDE', vin: '1FADP3F20JL123456' })
    await createVehicle(t.app.db, ids.peter!, { licensePlate: 'KX67-ABC', vin: 'WF0DXXGAKDHJ54321' })
    await createVehicle(t.app.db, ids.peter!, { licensePlate: 'PEM 1', vin: 'JTDKB20U093123789' })
  })
  afterAll(async () => t?.close())

  it('finds a phone number typed without its spaces or punctuation', async () => {
    expect(await search('07700900104')).toEqual([ids.sarah])
    expect(await search('07700 900104')).toEqual([ids.sarah])
    expect(await search('7946.0958')).toEqual([ids.peter])
    expect(await search('020-7946-0958')).toEqual([])
    expect(await search('(0)2079460958')).toEqual([ids.peter])
    expect(await search('79460')).toEqual(sorted(ids.peter!, ids.zoe!))
  })

  it("finds the customer by one of their vehicles' plates or VINs", async () => {
    expect(await search('AB18CDE')).toEqual([ids.sarah])
    expect(await search('ab18 cde')).toEqual([ids.sarah])
    expect(await search('kx67abc')).toEqual([ids.peter])
    expect(await search('JTDKB20U09')).toEqual([ids.peter])
    expect(await search('dhj54321')).toEqual([ids.peter])
  })

  it('needs every word to match, each in any searched field', async () => {
    expect(await search('pemberton')).toEqual(sorted(ids.sarah!, ids.peter!))
    expect(await search('Pemberton AB18CDE')).toEqual([ids.sarah])
    expect(await search('Sarah KX67ABC')).toEqual([])
    expect(await search('PEM1 Peter')).toEqual([ids.peter])
  })

  it('compares after NFKC and without regard to case beyond ASCII', async () => {
    expect(await search('ZOË ÅNGSTRÖM')).toEqual([ids.zoe])
    expect(await search('ＡＢ１８ＣＤＥ')).toEqual([ids.sarah])
    expect(await search('０７７００９００１０４')).toEqual([ids.sarah])
  })

  it('matches a word of punctuation only literally', async () => {
    expect(await search('(0)')).toEqual([ids.peter])
    expect(await search('-')).toEqual([ids.peter])
    expect(await search('/')).toEqual([])
  })

  it('never lists staff, even when their name matches', async () => {
    const staff = await createUser(t.app.db, { role: 'mechanic', name: 'Pemberton Mechanic' })
    expect(await search('Pemberton')).not.toContain(staff.id)
  })
})
