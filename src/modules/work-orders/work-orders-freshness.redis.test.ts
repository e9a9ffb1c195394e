import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, createTestDatabase, testDbKind, type TestApp, type TestDatabase } from '../../../test/support/app.ts'
import { castOf, type Cast } from '../../../test/support/actors.ts'
import { eventually, nextTurn } from '../../../test/support/cache.ts'
import { createVehicle } from '../../../test/support/factories/vehicles.ts'
import { openOrder } from '../../../test/support/factories/work-orders.ts'
import { caller } from '../../../test/support/http.ts'
import { redisServerBinary, spawnRedis, type SpawnedRedis } from '../../../test/support/services.ts'

/**
 * Every cached work-order read (detail, lists of each kind of reader, inspection, approvals, the vehicle's history) is warmed on instance B,
 * then each kind of write is made on instance A: B's next read shows it, with Redis up and while it is paused.
 */
describe.skipIf(testDbKind() !== 'postgres' || !redisServerBinary())('work orders: a write on one instance shows on the other', () => {
  let redis: SpawnedRedis
  let testDb: TestDatabase
  let a: TestApp
  let b: TestApp
  /** The truth: a third instance on the same database with caching off. */
  let truth: TestApp
  let cast: Cast
  let onA: ReturnType<typeof caller>
  let onB: ReturnType<typeof caller>
  let vehicleId: number

  beforeAll(async () => {
    redis = await spawnRedis()
    testDb = await createTestDatabase('postgres')
    const env = { REDIS_URL: redis.url, CACHE_PREFIX: `ecar-wo-${process.pid}`, REDIS_COMMAND_TIMEOUT_MS: '300', CACHE_BREAKER_MS: '500' }
    a = await buildTestApp({ testDb, env })
    b = await buildTestApp({ testDb, env })
    truth = await buildTestApp({ testDb, env: { ...env, CACHE_ENABLED: 'false', CACHE_PREFIX: `ecar-wo-truth-${process.pid}` } })
    onA = caller(a.app)
    onB = caller(b.app)
    cast = await castOf(a.app.db)
    vehicleId = (await createVehicle(a.app.db, cast.customerA.id)).id
  })
  afterAll(async () => {
    await a?.close()
    await b?.close()
    await truth?.close()
    await redis?.stop()
    await testDb?.drop()
  })

  /** What B shows of the order to each reader. */
  async function seenOnB(id: number) {
    const { customerA, assignedMechanic, mechanic, advisor } = cast
    const detail = async (user: typeof advisor) => {
      const res = await onB(user, 'GET', `/api/work-orders/${id}`)
      return res.statusCode === 200 ? res.json() : res.statusCode
    }
    const listed = async (user: typeof advisor) => {
      const res = await onB(user, 'GET', '/api/work-orders?limit=200')
      expect(res.statusCode).toBe(200)
      return (res.json().items as { id: number }[]).find((o) => o.id === id) ?? null
    }
    const inspection = async (user: typeof advisor) => {
      const res = await onB(user, 'GET', `/api/work-orders/${id}/inspection`)
      return res.statusCode === 200 ? res.json().items : res.statusCode
    }
    const approvals = async (user: typeof advisor) => {
      const res = await onB(user, 'GET', `/api/work-orders/${id}/approvals`)
      return res.statusCode === 200 ? res.json().items : res.statusCode
    }
    const history = async (user: typeof advisor) => {
      const res = await onB(user, 'GET', `/api/vehicles/${vehicleId}/history`)
      expect(res.statusCode).toBe(200)
      return res.json()
    }
    return {
      details: [await detail(customerA), await detail(assignedMechanic), await detail(mechanic), await detail(advisor)],
      histories: [await history(customerA), await history(mechanic), await history(advisor)],
      approvals: [await approvals(customerA), await approvals(assignedMechanic), await approvals(advisor)],
      lists: [await listed(customerA), await listed(assignedMechanic), await listed(mechanic), await listed(advisor)],
      inspections: [await inspection(assignedMechanic), await inspection(mechanic), await inspection(advisor)],
    }
  }

  /** Warms B (reads twice), runs the write on A, and expects B's next reads to equal a cold read's. */
  async function expectFresh(id: number, write: () => Promise<unknown>) {
    await seenOnB(id)
    await seenOnB(id)
    await write()
    await nextTurn()
    const after = await seenOnB(id)
    const cold = await seenOnTruth(id)
    expect(after).toEqual(cold)
    return after
  }

  async function seenOnTruth(id: number) {
    const saved = onB
    onB = caller(truth.app)
    try {
      return await seenOnB(id)
    } finally {
      onB = saved
    }
  }

  const ok = <R extends { statusCode: number; body: string }>(res: R): R => {
    expect(res.statusCode, res.body).toBeLessThan(300)
    return res
  }

  async function walkEveryWrite(tag: string) {
    const { advisor, assignedMechanic, mechanic } = cast
    const order = await openOrder(a.app, advisor, vehicleId, { mechanicId: assignedMechanic.id })
    const id = order.id
    let jobId = 0
    let lineId = 0
    await expectFresh(id, async () => ok(await onA(advisor, 'PATCH', `/api/work-orders/${id}`, { notes: `notes ${tag}` })))
    await expectFresh(id, async () => {
      jobId = ok(await onA(advisor, 'POST', `/api/work-orders/${id}/jobs`, { title: `job ${tag}` })).json().id
    })
    await expectFresh(id, async () => {
      lineId = ok(await onA(advisor, 'POST', `/api/work-orders/${id}/jobs/${jobId}/lines`, { kind: 'labour', description: 'L', quantity: 1, unitPriceCents: 1000 })).json().id
    })
    await expectFresh(id, async () => ok(await onA(advisor, 'PATCH', `/api/work-orders/${id}/jobs/${jobId}/lines/${lineId}`, { quantity: 2 })))
    // A second job, to be declined: the history's recommendation.
    let declinedId = 0
    await expectFresh(id, async () => {
      declinedId = ok(await onA(advisor, 'POST', `/api/work-orders/${id}/jobs`, { title: `wipers ${tag}` })).json().id
      ok(await onA(advisor, 'POST', `/api/work-orders/${id}/jobs/${declinedId}/lines`, { kind: 'part', description: 'Blades', quantity: 2, unitPriceCents: 1950 }))
    })
    let estimateHash = ''
    await expectFresh(id, async () => {
      estimateHash = ok(await onA(advisor, 'POST', `/api/work-orders/${id}/estimates`)).json().hash
    })
    const decided = await expectFresh(id, async () =>
      ok(
        await onA(cast.customerA, 'POST', `/api/work-orders/${id}/decisions`, {
          estimateHash,
          decisions: [
            { jobId, decision: 'approved' },
            { jobId: declinedId, decision: 'declined' },
          ],
        }),
      ),
    )
    expect(decided.details[0]).toMatchObject({ status: 'approved', estimate: { version: 1, hash: estimateHash } })
    expect(decided.approvals[0]).toEqual([
      expect.objectContaining({ jobId, decision: 'approved', method: 'portal' }),
      expect.objectContaining({ jobId: declinedId, decision: 'declined', method: 'portal' }),
    ])
    expect(decided.histories[0].recommendations).toContainEqual(expect.objectContaining({ workOrderId: id, jobId: declinedId, netCents: 3_900 }))
    await expectFresh(id, async () => ok(await onA(assignedMechanic, 'POST', `/api/work-orders/${id}/status`, { status: 'in_progress' })))
    await expectFresh(id, async () => ok(await onA(assignedMechanic, 'POST', `/api/work-orders/${id}/jobs/${jobId}/clock`, { action: 'start' })))
    await expectFresh(id, async () => ok(await onA(assignedMechanic, 'POST', `/api/work-orders/${id}/jobs/${jobId}/clock`, { action: 'stop' })))
    await expectFresh(id, async () => ok(await onA(assignedMechanic, 'PUT', `/api/work-orders/${id}/inspection`, { items: [{ name: `tyres ${tag}`, result: 'ok' }] })))
    await expectFresh(id, async () => ok(await onA(assignedMechanic, 'PATCH', `/api/work-orders/${id}/jobs/${jobId}`, { completed: true })))
    const reassigned = await expectFresh(id, async () => ok(await onA(advisor, 'PATCH', `/api/work-orders/${id}`, { mechanicId: mechanic.id })))
    expect(reassigned.details[1]).toBe(404)
    expect(reassigned.lists[1]).toBeNull()
    expect(reassigned.lists[2]).toMatchObject({ id })
    await expectFresh(id, async () => ok(await onA(cast.admin, 'PATCH', '/api/shop', { taxRates: { labourBp: tag === 'up' ? 1000 : 1500 } })))
    const completed = await expectFresh(id, async () => ok(await onA(advisor, 'POST', `/api/work-orders/${id}/status`, { status: 'completed', odometerOut: 50_000 })))
    expect(completed.histories[2].workOrders.find((o: { id: number }) => o.id === id)).toMatchObject({ status: 'completed', completedAt: expect.any(String) })
    const voided = await expectFresh(id, async () => ok(await onA(advisor, 'POST', `/api/work-orders/${id}/status`, { status: 'void', reason: tag })))
    expect(voided.details[3]).toMatchObject({ status: 'void' })
  }

  it('every write shows at once on the other instance (Redis up)', async () => {
    await walkEveryWrite('up')
    const warm = await onB(cast.advisor, 'GET', '/api/work-orders?limit=200')
    const again = await onB(cast.advisor, 'GET', '/api/work-orders?limit=200')
    expect([warm.headers['x-cache'], again.headers['x-cache']]).toContain('HIT')
  })

  it('…also while Redis is paused', async () => {
    redis.pause()
    try {
      await walkEveryWrite('paused')
    } finally {
      redis.resume()
    }
    await eventually(() => a.app.cache.health() === 'up' && b.app.cache.health() === 'up', 10_000, 'caches up again')
  })
})
