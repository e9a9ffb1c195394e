import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testDbKind } from '../../../test/support/app.ts'
import { nextTurn } from '../../../test/support/cache.ts'
import { createUser, type TestUser } from '../../../test/support/factories/users.ts'
import { caller } from '../../../test/support/http.ts'
import { buildTwoInstancesOwnRedis, upThenPaused, type TwoInstancesOwnRedis } from '../../../test/support/own-redis.ts'
import { redisServerBinary } from '../../../test/support/services.ts'

describe.skipIf(testDbKind() !== 'postgres' || !redisServerBinary())('mechanics, two instances', () => {
  let both: TwoInstancesOwnRedis
  let admin: TestUser
  let advisor: TestUser
  beforeAll(async () => {
    both = await buildTwoInstancesOwnRedis('ecar-mechanics')
    ;[admin, advisor] = await Promise.all([createUser(both.a.app.db, { role: 'admin' }), createUser(both.a.app.db, { role: 'advisor' })])
  })
  afterAll(async () => both?.close())

  it('a new mechanic, a rename, a deactivation and a role change on A show in the next GET /api/mechanics on B, with Redis up and paused', async () => {
    const onA = caller(both.a.app)
    const onB = caller(both.b.app)
    const listOnB = async () => (await onB(advisor, 'GET', '/api/mechanics?limit=200')).json().items as { id: number; name: string; active: boolean }[]
    await upThenPaused(both, async (paused) => {
      await listOnB()
      if (!paused) expect((await onB(advisor, 'GET', '/api/mechanics?limit=200')).headers['x-cache']).toBe('HIT')
      const created = await onA(admin, 'POST', '/api/users', { email: `m-${randomBytes(4).toString('hex')}@example.test`, name: 'Fresh Mechanic', role: 'mechanic', password: 'long enough password' })
      expect(created.statusCode).toBe(201)
      const id = created.json().id as number
      await nextTurn()
      expect(await listOnB()).toContainEqual({ id, name: 'Fresh Mechanic', active: true })

      await onA(admin, 'PATCH', `/api/users/${id}`, { name: 'Renamed Mechanic' })
      await nextTurn()
      expect(await listOnB()).toContainEqual({ id, name: 'Renamed Mechanic', active: true })

      await onA(admin, 'PATCH', `/api/users/${id}`, { active: false })
      await nextTurn()
      expect(await listOnB()).toContainEqual({ id, name: 'Renamed Mechanic', active: false })

      await onA(admin, 'PATCH', `/api/users/${id}`, { role: 'advisor' })
      await nextTurn()
      expect((await listOnB()).map((m) => m.id)).not.toContain(id)
    })
  })
})
