import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, type TestApp } from '../../../test/support/app.ts'
import { castOf, type Cast } from '../../../test/support/actors.ts'
import { uniqueBayName } from '../../../test/support/factories/bays.ts'
import { caller, errorFields, problemOf } from '../../../test/support/http.ts'
import { listBays } from './bays.repository.ts'
import { DEMO_BAYS, seedBays } from './bays.seed.ts'

describe('bays', () => {
  let t: TestApp
  let call: ReturnType<typeof caller>
  let cast: Cast
  beforeAll(async () => {
    t = await buildTestApp()
    call = caller(t.app)
    cast = await castOf(t.app.db)
  })
  afterAll(async () => t?.close())

  const add = async (body: Record<string, unknown> = {}) => {
    const res = await call(cast.admin, 'POST', '/api/bays', { name: uniqueBayName(), ...body })
    expect(res.statusCode).toBe(201)
    return res.json() as { id: number; name: string; active: boolean }
  }
  const all = async () => (await call(cast.advisor, 'GET', '/api/bays?limit=200')).json().items as { id: number; name: string; active: boolean }[]

  it('an admin adds a bay: 201 with Location, trimmed name, active by default, audited', async () => {
    const name = uniqueBayName()
    const res = await call(cast.admin, 'POST', '/api/bays', { name: `  ${name} ` })
    expect(res.statusCode).toBe(201)
    const bay = res.json()
    expect(bay).toEqual({ id: expect.any(Number), name, active: true })
    expect(res.headers.location).toBe(`/api/bays/${bay.id}`)
    expect(await all()).toContainEqual(bay)
    const audit = (await call(cast.advisor, 'GET', `/api/audit?entity=bay&entityId=${bay.id}`)).json().items
    expect(audit).toMatchObject([{ action: 'bay.created', actorId: cast.admin.id, changes: { name: [null, name], active: [null, true] } }])
  })

  it('lists by id for every staff role, filtered by ?active=, paginated; customers get 403', async () => {
    const on = await add()
    const off = await add({ active: false })
    for (const user of [cast.mechanic, cast.advisor, cast.admin]) {
      const res = await call(user, 'GET', '/api/bays?limit=200')
      expect(res.statusCode).toBe(200)
      const ids = res.json().items.map((b: { id: number }) => b.id)
      expect(ids).toEqual([...ids].sort((x, y) => x - y))
      expect(ids).toEqual(expect.arrayContaining([on.id, off.id]))
    }
    const active = (await call(cast.advisor, 'GET', '/api/bays?active=true&limit=200')).json().items as { id: number; active: boolean }[]
    expect(active.every((b) => b.active)).toBe(true)
    expect(active.map((b) => b.id)).toContain(on.id)
    const inactive = (await call(cast.advisor, 'GET', '/api/bays?active=false&limit=200')).json().items as { id: number }[]
    expect(inactive.map((b) => b.id)).toEqual(expect.arrayContaining([off.id]))
    expect(inactive.map((b) => b.id)).not.toContain(on.id)
    const first = (await call(cast.advisor, 'GET', '/api/bays?limit=1')).json()
    expect(first.items).toHaveLength(1)
    const second = (await call(cast.advisor, 'GET', `/api/bays?limit=1&cursor=${first.nextCursor}`)).json()
    expect(second.items[0].id).toBeGreaterThan(first.items[0].id)
    expect((await call(cast.customerA, 'GET', '/api/bays')).statusCode).toBe(403)
  })

  it('refuses a duplicate name, ignoring case and blanks, with 409 ECAR_ERR_BAY_NAME_TAKEN on create and rename', async () => {
    const bay = await add()
    const other = await add()
    const dup = await call(cast.admin, 'POST', '/api/bays', { name: ` ${bay.name.toUpperCase()} ` })
    expect(problemOf(dup)).toEqual({ status: 409, code: 'ECAR_ERR_BAY_NAME_TAKEN' })
    const rename = await call(cast.admin, 'PATCH', `/api/bays/${other.id}`, { name: bay.name.toLowerCase() })
    expect(problemOf(rename)).toEqual({ status: 409, code: 'ECAR_ERR_BAY_NAME_TAKEN' })
    expect((await all()).filter((b) => b.name.toLowerCase() === bay.name.toLowerCase())).toEqual([bay])
  })

  it('renames and deactivates; a PATCH that changes nothing writes no audit row; unknown id is 404', async () => {
    const bay = await add()
    const name = uniqueBayName()
    const res = await call(cast.admin, 'PATCH', `/api/bays/${bay.id}`, { name, active: false })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ id: bay.id, name, active: false })
    expect(await all()).toContainEqual({ id: bay.id, name, active: false })
    // Renaming to its own name in another case is no conflict with itself.
    expect((await call(cast.admin, 'PATCH', `/api/bays/${bay.id}`, { name: name.toUpperCase() })).json().name).toBe(name.toUpperCase())
    const audits = async () => (await call(cast.advisor, 'GET', `/api/audit?entity=bay&entityId=${bay.id}`)).json().items.length
    const before = await audits()
    expect((await call(cast.admin, 'PATCH', `/api/bays/${bay.id}`, { active: false })).statusCode).toBe(200)
    expect(await audits()).toBe(before)
    expect(problemOf(await call(cast.admin, 'PATCH', '/api/bays/999999', { active: true }))).toEqual({ status: 404, code: 'ECAR_ERR_BAY_NOT_FOUND' })
  })

  it.each([
    ['POST', {}, ['body']],
    ['POST', { name: '' }, ['body.name']],
    ['POST', { name: '   ' }, ['body.name']],
    ['POST', { name: 'x'.repeat(65) }, ['body.name']],
    ['POST', { name: 'Bay 9', id: 3 }, ['body']],
    ['POST', { name: 'Bay 9', active: 'yes' }, ['body.active']],
    ['PATCH', {}, ['body']],
    ['PATCH', { name: 'Bay 9', createdAt: '2026-01-01T00:00:00Z' }, ['body']],
  ])('%s %j is 400 naming %j and changes nothing', async (method, body, fields) => {
    const bay = await add()
    const before = await all()
    const res = await call(cast.admin, method as 'POST', method === 'POST' ? '/api/bays' : `/api/bays/${bay.id}`, body)
    expect(res.statusCode).toBe(400)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    for (const field of fields) expect(errorFields(res).join(' ')).toContain(field)
    expect(await all()).toEqual(before)
  })

  it('refuses unknown query parameters on the cached list', async () => {
    expect((await call(cast.advisor, 'GET', '/api/bays?name=x')).statusCode).toBe(400)
  })

  it('serves the list from the cache and shows every write at once', async () => {
    await call(cast.mechanic, 'GET', '/api/bays?limit=200')
    expect((await call(cast.mechanic, 'GET', '/api/bays?limit=200')).headers['x-cache']).toBe('HIT')
    const bay = await add()
    const after = await call(cast.mechanic, 'GET', '/api/bays?limit=200')
    expect(after.headers['x-cache']).toBe('MISS')
    expect(after.json().items).toContainEqual(bay)
    expect((await call(cast.mechanic, 'GET', '/api/bays?limit=200')).headers['x-cache']).toBe('HIT')
    await call(cast.admin, 'PATCH', `/api/bays/${bay.id}`, { active: false })
    expect((await call(cast.mechanic, 'GET', '/api/bays?limit=200')).json().items).toContainEqual({ ...bay, active: false })
  })

  it('seedBays adds the four demo bays once', async () => {
    const first = await t.app.db.transaction((tx) => seedBays(tx))
    const again = await t.app.db.transaction((tx) => seedBays(tx))
    expect(again).toEqual(first)
    expect(first.map((b) => b.name)).toEqual(expect.arrayContaining(DEMO_BAYS.map((b) => b.name)))
    expect((await listBays(t.app.db)).filter((b) => DEMO_BAYS.some((d) => d.name === b.name))).toHaveLength(4)
  })
})
