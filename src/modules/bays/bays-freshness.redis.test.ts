import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testDbKind } from '../../../test/support/app.ts'
import { nextTurn } from '../../../test/support/cache.ts'
import { createUser, type TestUser } from '../../../test/support/factories/users.ts'
import { uniqueBayName } from '../../../test/support/factories/bays.ts'
import { caller } from '../../../test/support/http.ts'
import { buildTwoInstancesOwnRedis, upThenPaused, type TwoInstancesOwnRedis } from '../../../test/support/own-redis.ts'
import { redisServerBinary } from '../../../test/support/services.ts'

describe.skipIf(testDbKind() !== 'postgres' || !redisServerBinary())('bays, two instances', () => {
  let both: TwoInstancesOwnRedis
  let admin: TestUser
  let mechanic: TestUser
  beforeAll(async () => {
    both = await buildTwoInstancesOwnRedis('ecar-bays')
    admin = await createUser(both.a.app.db, { role: 'admin' })
    mechanic = await createUser(both.a.app.db, { role: 'mechanic' })
  })
  afterAll(async () => both?.close())

  it('a POST or PATCH on A shows in the next GET /api/bays on B, with Redis up and paused', async () => {
    const onA = caller(both.a.app)
    const onB = caller(both.b.app)
    const list = async () => (await onB(mechanic, 'GET', '/api/bays?limit=200')).json().items as { id: number; name: string; active: boolean }[]
    await upThenPaused(both, async (paused) => {
      await list()
      if (!paused) expect((await onB(mechanic, 'GET', '/api/bays?limit=200')).headers['x-cache']).toBe('HIT')
      const created = await onA(admin, 'POST', '/api/bays', { name: uniqueBayName() })
      expect(created.statusCode).toBe(201)
      await nextTurn()
      expect(await list()).toContainEqual(created.json())
      const name = uniqueBayName()
      expect((await onA(admin, 'PATCH', `/api/bays/${created.json().id}`, { name, active: false })).statusCode).toBe(200)
      await nextTurn()
      expect(await list()).toContainEqual({ id: created.json().id, name, active: false })
    })
    // And after Redis is back, the cache is in use again and still fresh.
    await onB(mechanic, 'GET', '/api/bays?limit=200')
    expect((await onB(mechanic, 'GET', '/api/bays?limit=200')).headers['x-cache']).toBe('HIT')
  })
})
