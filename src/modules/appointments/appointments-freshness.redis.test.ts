import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, createTestDatabase, testDbKind, type TestApp, type TestDatabase } from '../../../test/support/app.ts'
import { castOf, type Cast } from '../../../test/support/actors.ts'
import { eventually, nextTurn } from '../../../test/support/cache.ts'
import { at, booking, createBay, daysAhead, EVERY_DAY_HOURS, useUtcShop } from '../../../test/support/factories/appointments.ts'
import { createVehicle } from '../../../test/support/factories/vehicles.ts'
import { redisServerBinary, spawnRedis, type SpawnedRedis } from '../../../test/support/services.ts'
import { baysTag } from '../bays/index.ts'

/**
 * Every appointment write on instance A shows in the next read on instance B: the customer's,
 * mechanic's and desk's lists, the detail and the availability, with Redis up and with it paused.
 */
describe.skipIf(testDbKind() !== 'postgres' || !redisServerBinary())('appointments: fresh across two instances', () => {
  let redis: SpawnedRedis
  let testDb: TestDatabase
  let a: TestApp
  let b: TestApp
  let cast: Cast
  let vehicleId: number
  let bayIds: number[]
  const day = 5
  const date = daysAhead(day)

  beforeAll(async () => {
    redis = await spawnRedis()
    testDb = await createTestDatabase('postgres')
    const env = { REDIS_URL: redis.url, CACHE_PREFIX: `ecar-appt-${process.pid}`, REDIS_COMMAND_TIMEOUT_MS: '300', CACHE_BREAKER_MS: '500' }
    a = await buildTestApp({ testDb, env })
    b = await buildTestApp({ testDb, env })
    cast = await castOf(a.app.db)
    await useUtcShop(a.app, cast.admin)
    bayIds = [(await createBay(a.app.db)).id, (await createBay(a.app.db)).id]
    vehicleId = (await createVehicle(a.app.db, cast.customerA.id)).id
  })
  afterAll(async () => {
    await a?.close()
    await b?.close()
    await redis?.stop()
    await testDb?.drop()
  })

  const onA = (user: { auth: Record<string, string> }, method: 'POST' | 'PATCH', url: string, payload: object) => a.app.inject({ method, url, headers: user.auth, payload })
  const get = async (user: { auth: Record<string, string> }, url: string) => {
    const res = await b.app.inject({ method: 'GET', url, headers: user.auth })
    expect(res.statusCode, url).toBe(200)
    return res.json()
  }

  /** What B shows of one appointment, after reading everything twice (warm caches). */
  async function seenOnB(id: number) {
    const read = async () => {
      const lists = await Promise.all([cast.customerA, cast.assignedMechanic, cast.advisor].map((u) => get(u, '/api/appointments?limit=200')))
      const found = lists.map((list) => list.items.find((x: { id: number }) => x.id === id) ?? null)
      const detail = await get(cast.advisor, `/api/appointments/${id}`)
      const slots = (await get(cast.customerA, `/api/availability?date=${date}`)).slots as { startsAt: string; freeBays: number }[]
      return { found, detail, free: Object.fromEntries(slots.filter((s) => s.startsAt.includes('T1')).map((s) => [s.startsAt.slice(11, 16), s.freeBays])) }
    }
    return read()
  }

  async function scenario(label: string) {
    const created = await onA(cast.advisor, 'POST', '/api/appointments', booking(vehicleId, day, '10:00', '11:00', { mechanicId: cast.assignedMechanic.id }))
    expect(created.statusCode, label).toBe(201)
    const id = created.json().id as number
    await nextTurn()
    let seen = await seenOnB(id)
    await seenOnB(id)
    expect(seen.found.map((x) => x?.status)).toEqual(['requested', 'requested', 'requested'])
    expect(seen.free['10:00']).toBe(1)

    await onA(cast.advisor, 'PATCH', `/api/appointments/${id}`, { startsAt: at(date, '12:00') })
    await nextTurn()
    seen = await seenOnB(id)
    expect(seen.detail.startsAt).toBe(at(date, '12:00'))
    expect([seen.free['10:00'], seen.free['12:00']]).toEqual([2, 1])

    await onA(cast.admin, 'PATCH', `/api/appointments/${id}`, { mechanicId: null })
    await nextTurn()
    seen = await seenOnB(id)
    expect(seen.found.map((x) => x?.id ?? null)).toEqual([id, null, id])

    await onA(cast.advisor, 'POST', `/api/appointments/${id}/status`, { status: 'confirmed' })
    await nextTurn()
    expect((await seenOnB(id)).found.map((x) => x?.status ?? null)).toEqual(['confirmed', null, 'confirmed'])

    await onA(cast.customerA, 'POST', `/api/appointments/${id}/status`, { status: 'cancelled' })
    await nextTurn()
    seen = await seenOnB(id)
    expect([seen.detail.status, seen.free['12:00']]).toEqual(['cancelled', 2])

    // A bay change (through the writer, as the bay routes will) and a change of the shop hours.
    await a.app.writer.transaction(async (tx, touch) => {
      await tx.execute(sql`update bays set active = false where id = ${bayIds[1]!}`)
      touch(baysTag())
    })
    await nextTurn()
    expect((await seenOnB(id)).free['12:00']).toBe(1)
    await a.app.writer.transaction(async (tx, touch) => {
      await tx.execute(sql`update bays set active = true where id = ${bayIds[1]!}`)
      touch(baysTag())
    })
    await nextTurn()
    expect((await seenOnB(id)).free['12:00']).toBe(2)
    const shop = await a.app.inject({ method: 'PATCH', url: '/api/shop', headers: cast.admin.auth, payload: { openingHours: { ...EVERY_DAY_HOURS, [weekday(date)]: [{ opens: '08:00', closes: '12:00' }] } } })
    expect(shop.statusCode).toBe(200)
    await nextTurn()
    expect((await seenOnB(id)).free['12:00']).toBeUndefined()
    await useUtcShop(a.app, cast.admin)
    await nextTurn()
    expect((await seenOnB(id)).free['12:00']).toBe(2)
  }

  it('every write on A shows in the next read on B', async () => {
    await scenario('redis up')
    // And the caches are in use: a second read is a HIT.
    await b.app.inject({ method: 'GET', url: '/api/appointments', headers: cast.customerA.auth })
    expect((await b.app.inject({ method: 'GET', url: '/api/appointments', headers: cast.customerA.auth })).headers['x-cache']).toBe('HIT')
  })

  it('…also while Redis is paused', async () => {
    redis.pause()
    try {
      await scenario('redis paused')
    } finally {
      redis.resume()
    }
    await eventually(() => a.app.cache.health() === 'up' && b.app.cache.health() === 'up', 10_000, 'caches up again')
  })
})

function weekday(date: string): 'sun' | 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' {
  return (['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const)[new Date(`${date}T00:00:00Z`).getUTCDay()]!
}
