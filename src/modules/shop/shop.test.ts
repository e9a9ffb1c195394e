import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, type TestApp } from '../../../test/support/app.ts'
import { createUser, type TestUser } from '../../../test/support/factories/users.ts'
import { caller, errorFields } from '../../../test/support/http.ts'

describe('shop settings', () => {
  let t: TestApp
  let call: ReturnType<typeof caller>
  let admin: TestUser
  let advisor: TestUser
  beforeAll(async () => {
    t = await buildTestApp()
    call = caller(t.app)
    ;[admin, advisor] = await Promise.all([createUser(t.app.db, { role: 'admin' }), createUser(t.app.db, { role: 'advisor' })])
  })
  afterAll(async () => t?.close())

  it('answers anyone with the defaults the migration wrote, from the cache the second time', async () => {
    const first = await call(undefined, 'GET', '/api/shop')
    expect(first.statusCode).toBe(200)
    expect(first.json()).toMatchObject({
      name: 'ECAR Garage',
      timezone: 'Europe/London',
      currency: 'GBP',
      labourRateCents: 9500,
      taxRates: { labourBp: 2000, partsBp: 2000, feesBp: 2000 },
      slotMinutes: 30,
      odometerUnit: 'km',
      openingHours: { mon: [{ opens: '08:00', closes: '17:30' }], sun: [] },
    })
    expect(first.headers['x-cache']).toBe('MISS')
    expect((await call(undefined, 'GET', '/api/shop')).headers['x-cache']).toBe('HIT')
  })

  it('shows an admin\'s change at once, audits it, and leaves the rest as it was', async () => {
    await call(undefined, 'GET', '/api/shop') // warm
    const res = await call(admin, 'PATCH', '/api/shop', { labourRateCents: 10_500, taxRates: { partsBp: 1500 } })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ labourRateCents: 10_500, taxRates: { labourBp: 2000, partsBp: 1500, feesBp: 2000 } })
    const after = await call(undefined, 'GET', '/api/shop')
    expect(after.json()).toMatchObject({ labourRateCents: 10_500, taxRates: { partsBp: 1500 } })
    expect(after.headers['x-cache']).toBe('MISS')
    const audit = await call(advisor, 'GET', '/api/audit?entity=shop')
    expect(audit.statusCode).toBe(200)
    expect(audit.json().items[0]).toMatchObject({
      actorId: admin.id,
      action: 'shop.updated',
      entity: 'shop',
      entityId: 1,
      changes: { labourRateCents: [9500, 10_500], taxRates: [{ labourBp: 2000, partsBp: 2000, feesBp: 2000 }, { labourBp: 2000, partsBp: 1500, feesBp: 2000 }] },
    })
  })

  it.each([
    [{ timezone: 'Mars/Olympus_Mons' }, ['body.timezone']],
    [{ openingHours: { mon: [{ opens: '17:00', closes: '08:00' }], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] } }, ['body.openingHours.mon.0']],
    [{ openingHours: { mon: [{ opens: '08:00', closes: '12:00' }, { opens: '11:00', closes: '15:00' }], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] } }, ['body.openingHours.mon.1']],
    [{ slotMinutes: 3 }, ['body.slotMinutes']],
    [{ currency: 'pounds' }, ['body.currency']],
    [{ labourRateCents: 100, id: 2 }, ['body']],
    [{}, ['body']],
  ])('refuses %j with 400 naming %j, and changes nothing', async (body, fields) => {
    const before = (await call(undefined, 'GET', '/api/shop')).json()
    const res = await call(admin, 'PATCH', '/api/shop', body)
    expect(res.statusCode).toBe(400)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    for (const field of fields) expect(errorFields(res).join(' ')).toContain(field)
    expect((await call(undefined, 'GET', '/api/shop')).json()).toEqual(before)
  })

  it('writes no audit row and keeps updatedAt when a PATCH changes nothing', async () => {
    const before = (await call(undefined, 'GET', '/api/shop')).json()
    const count = (await call(advisor, 'GET', '/api/audit?entity=shop&limit=200')).json().items.length
    const res = await call(admin, 'PATCH', '/api/shop', { name: before.name })
    expect(res.json().updatedAt).toBe(before.updatedAt)
    expect((await call(advisor, 'GET', '/api/audit?entity=shop&limit=200')).json().items.length).toBe(count)
  })
})
