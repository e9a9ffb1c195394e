import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, type TestApp } from '../../../test/support/app.ts'
import { castOf, type Cast } from '../../../test/support/actors.ts'
import { serviceBody } from '../../../test/support/factories/services.ts'
import { caller, errorFields, problemOf } from '../../../test/support/http.ts'
import { serviceEstimateCents } from './services.pricing.ts'
import { DEMO_SERVICES, seedCatalogue } from './services.seed.ts'

interface S {
  id: number
  code: string
  active: boolean
  labourHours: number
  estimatePriceCents: number
}

describe('the service catalogue', () => {
  let t: TestApp
  let call: ReturnType<typeof caller>
  let cast: Cast
  beforeAll(async () => {
    t = await buildTestApp()
    call = caller(t.app)
    cast = await castOf(t.app.db)
  })
  afterAll(async () => t?.close())

  const add = async (overrides: Record<string, unknown> = {}) => {
    const res = await call(cast.advisor, 'POST', '/api/services', serviceBody(overrides))
    expect(res.statusCode).toBe(201)
    return res.json() as S
  }
  const listAs = async (user = cast.admin, query = '') => (await call(user, 'GET', `/api/services?limit=200${query}`)).json().items as S[]
  const rate = async () => (await call(undefined, 'GET', '/api/shop')).json().labourRateCents as number

  it('an advisor adds a service: 201, Location, code upper-cased, priced at the labour rate, audited', async () => {
    const res = await call(cast.advisor, 'POST', '/api/services', serviceBody({ code: 'brake-fluid-x1', name: ' Brake fluid change ', description: 'DOT 4', labourHours: 0.75 }))
    expect(res.statusCode).toBe(201)
    const service = res.json()
    expect(service).toEqual({
      id: expect.any(Number),
      code: 'BRAKE-FLUID-X1',
      name: 'Brake fluid change',
      description: 'DOT 4',
      labourHours: 0.75,
      parts: [],
      intervalMonths: 24,
      intervalKm: null,
      active: true,
      estimatePriceCents: Math.round(0.75 * (await rate())),
    })
    expect(res.headers.location).toBe(`/api/services/${service.id}`)
    expect((await call(cast.customerA, 'GET', `/api/services/${service.id}`)).json()).toEqual(service)
    const audit = (await call(cast.advisor, 'GET', `/api/audit?entity=service&entityId=${service.id}`)).json().items
    expect(audit).toMatchObject([{ action: 'service.created', actorId: cast.advisor.id, changes: { code: [null, 'BRAKE-FLUID-X1'] } }])
  })

  it('customers see active services only; staff see all and filter with ?active=', async () => {
    const on = await add()
    const off = await add({ active: false })
    const customer = (await listAs(cast.customerA)).map((s) => s.id)
    expect(customer).toContain(on.id)
    expect(customer).not.toContain(off.id)
    expect(await listAs(cast.customerA, '&active=false')).toEqual([])
    expect(problemOf(await call(cast.customerB, 'GET', `/api/services/${off.id}`))).toEqual({ status: 404, code: 'ECAR_ERR_SERVICE_NOT_FOUND' })
    for (const staff of [cast.mechanic, cast.advisor, cast.admin]) {
      expect((await listAs(staff)).map((s) => s.id)).toEqual(expect.arrayContaining([on.id, off.id]))
      expect((await call(staff, 'GET', `/api/services/${off.id}`)).statusCode).toBe(200)
    }
    expect((await listAs(cast.advisor, '&active=false')).every((s) => !s.active)).toBe(true)
    expect((await listAs(cast.advisor, '&active=true')).map((s) => s.id)).not.toContain(off.id)
  })

  it('refuses a code in use (any case) with 409 ECAR_ERR_SERVICE_CODE_TAKEN, on create and on change', async () => {
    const one = await add()
    const two = await add()
    expect(problemOf(await call(cast.admin, 'POST', '/api/services', serviceBody({ code: one.code.toLowerCase() })))).toEqual({ status: 409, code: 'ECAR_ERR_SERVICE_CODE_TAKEN' })
    expect(problemOf(await call(cast.admin, 'PATCH', `/api/services/${two.id}`, { code: one.code }))).toEqual({ status: 409, code: 'ECAR_ERR_SERVICE_CODE_TAKEN' })
    expect((await listAs()).filter((s) => s.code === one.code)).toHaveLength(1)
  })

  it('changes fields, removes an interval with null, audits only real changes; unknown id is 404', async () => {
    const service = await add({ intervalMonths: 12, intervalKm: 15000 })
    const res = await call(cast.admin, 'PATCH', `/api/services/${service.id}`, { labourHours: 1.25, intervalKm: null, active: false })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ labourHours: 1.25, intervalMonths: 12, intervalKm: null, active: false, estimatePriceCents: Math.round(1.25 * (await rate())) })
    const audits = async () => (await call(cast.advisor, 'GET', `/api/audit?entity=service&entityId=${service.id}`)).json().items.length
    const count = await audits()
    expect((await call(cast.admin, 'PATCH', `/api/services/${service.id}`, { active: false })).statusCode).toBe(200)
    expect(await audits()).toBe(count)
    expect(problemOf(await call(cast.admin, 'PATCH', '/api/services/999999', { active: true }))).toEqual({ status: 404, code: 'ECAR_ERR_SERVICE_NOT_FOUND' })
    expect(problemOf(await call(cast.admin, 'GET', '/api/services/999999'))).toEqual({ status: 404, code: 'ECAR_ERR_SERVICE_NOT_FOUND' })
  })

  it.each([
    ['POST', { name: 'No code', labourHours: 1 }, ['body']],
    ['POST', serviceBody({ labourHours: 0 }), ['body.labourHours']],
    ['POST', serviceBody({ labourHours: -1 }), ['body.labourHours']],
    ['POST', serviceBody({ labourHours: 1.255 }), ['body.labourHours']],
    ['POST', serviceBody({ labourHours: 101 }), ['body.labourHours']],
    ['POST', serviceBody({ labourHours: '1' }), ['body.labourHours']],
    ['POST', serviceBody({ intervalMonths: 0 }), ['body.intervalMonths']],
    ['POST', serviceBody({ intervalKm: -5 }), ['body.intervalKm']],
    ['POST', serviceBody({ intervalMonths: 1.5 }), ['body.intervalMonths']],
    ['POST', serviceBody({ code: 'has space' }), ['body.code']],
    ['POST', serviceBody({ name: '  ' }), ['body.name']],
    ['POST', serviceBody({ parts: [{ partId: 1, quantity: 1 }] }), ['body.parts']],
    ['POST', serviceBody({ estimatePriceCents: 100 }), ['body']],
    ['PATCH', {}, ['body']],
    ['PATCH', { labourHours: 0.001 }, ['body.labourHours']],
    ['PATCH', { id: 5 }, ['body']],
  ])('%s %j is 400 naming %j and changes nothing', async (method, body, fields) => {
    const service = await add()
    const before = await listAs()
    const res = await call(cast.admin, method as 'POST', method === 'POST' ? '/api/services' : `/api/services/${service.id}`, body)
    expect(res.statusCode).toBe(400)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    for (const field of fields) expect(errorFields(res).join(' ')).toContain(field)
    expect(await listAs()).toEqual(before)
  })

  it('customers and mechanics cannot write (403); unknown query parameters are 400', async () => {
    for (const user of [cast.customerA, cast.mechanic]) expect((await call(user, 'POST', '/api/services', serviceBody())).statusCode).toBe(403)
    expect((await call(cast.advisor, 'GET', '/api/services?q=oil')).statusCode).toBe(400)
  })

  it('is cached, and shows a catalogue write and a new labour rate at once', async () => {
    const service = await add({ labourHours: 2 })
    const views = async () => Promise.all([call(cast.customerA, 'GET', '/api/services?limit=200'), call(cast.customerA, 'GET', `/api/services/${service.id}`)])
    await views()
    expect((await views()).map((r) => r.headers['x-cache'])).toEqual(['HIT', 'HIT'])
    expect((await call(cast.advisor, 'PATCH', `/api/services/${service.id}`, { name: 'Renamed job' })).statusCode).toBe(200)
    const renamed = await views()
    expect(renamed.map((r) => r.headers['x-cache'])).toEqual(['MISS', 'MISS'])
    expect(renamed[1].json().name).toBe('Renamed job')
    expect(renamed[0].json().items.find((s: S) => s.id === service.id).name).toBe('Renamed job')
    await views()
    const old = await rate()
    expect((await call(cast.admin, 'PATCH', '/api/shop', { labourRateCents: old + 1000 })).statusCode).toBe(200)
    try {
      const repriced = await views()
      expect(repriced[1].json().estimatePriceCents).toBe(2 * (old + 1000))
      expect(repriced[0].json().items.find((s: S) => s.id === service.id).estimatePriceCents).toBe(2 * (old + 1000))
    } finally {
      await call(cast.admin, 'PATCH', '/api/shop', { labourRateCents: old })
    }
  })

  it('seedCatalogue adds the ~15 demo services once, each with sane hours and intervals', async () => {
    const first = await t.app.db.transaction((tx) => seedCatalogue(tx))
    const again = await t.app.db.transaction((tx) => seedCatalogue(tx))
    expect(again).toEqual(first)
    expect(DEMO_SERVICES.length).toBeGreaterThanOrEqual(15)
    const demo = first.filter((row) => DEMO_SERVICES.some((d) => d.code === row.code))
    expect(demo).toHaveLength(DEMO_SERVICES.length)
    for (const row of demo) {
      expect(row.labourHours).toBeGreaterThan(0)
      expect(row.labourHours).toBeLessThanOrEqual(8)
    }
  })
})

describe('serviceEstimateCents', () => {
  it.each([
    [0.5, 9500, 4750],
    [1.5, 9500, 14_250],
    [0.33, 9999, 3300], // 3299.67 rounds up
    [0.01, 49, 0], // 0.49 rounds down
    [0.01, 50, 1], // 0.5 rounds away from zero
    [2, 0, 0],
  ])('%d h at %d cents/h is %d cents', (hours, rate, cents) => {
    expect(serviceEstimateCents({ labourHours: hours }, rate)).toBe(cents)
  })

  it('is hours × rate rounded half away from zero, for every 2-decimal quantity', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 0, max: 1_000_000 }), (hundredths, rate) => {
        const exact = hundredths * rate // in hundredths of a cent
        const expected = Math.floor(exact / 100) + (exact % 100 >= 50 ? 1 : 0)
        expect(serviceEstimateCents({ labourHours: hundredths / 100 }, rate)).toBe(expected)
      }),
    )
  })
})
