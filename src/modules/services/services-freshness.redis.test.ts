import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testDbKind } from '../../../test/support/app.ts'
import { nextTurn } from '../../../test/support/cache.ts'
import { serviceBody } from '../../../test/support/factories/services.ts'
import { createUser, type TestUser } from '../../../test/support/factories/users.ts'
import { caller } from '../../../test/support/http.ts'
import { buildTwoInstancesOwnRedis, upThenPaused, type TwoInstancesOwnRedis } from '../../../test/support/own-redis.ts'
import { redisServerBinary } from '../../../test/support/services.ts'

interface S {
  id: number
  name: string
  active: boolean
  estimatePriceCents: number
}

describe.skipIf(testDbKind() !== 'postgres' || !redisServerBinary())('the catalogue, two instances', () => {
  let both: TwoInstancesOwnRedis
  let admin: TestUser
  let customer: TestUser
  let mechanic: TestUser
  beforeAll(async () => {
    both = await buildTwoInstancesOwnRedis('ecar-services')
    ;[admin, customer, mechanic] = await Promise.all([
      createUser(both.a.app.db, { role: 'admin' }),
      createUser(both.a.app.db),
      createUser(both.a.app.db, { role: 'mechanic' }),
    ])
  })
  afterAll(async () => both?.close())

  it('a service write or a new labour rate on A shows in the next list and detail on B, with Redis up and paused', async () => {
    const onA = caller(both.a.app)
    const onB = caller(both.b.app)
    /** What B shows of one service: in the customer's and the mechanic's lists, and the detail. */
    const seenOnB = async (id: number) => {
      const out: (S | undefined)[] = []
      for (const user of [customer, mechanic]) {
        out.push(((await onB(user, 'GET', '/api/services?limit=200')).json().items as S[]).find((s) => s.id === id))
        const one = await onB(user, 'GET', `/api/services/${id}`)
        out.push(one.statusCode === 200 ? (one.json() as S) : undefined)
      }
      return out
    }
    let rate = 9_500
    await upThenPaused(both, async (paused) => {
      // The lists are warm on B before the service exists.
      for (const user of [customer, mechanic]) await onB(user, 'GET', '/api/services?limit=200')
      const created = await onA(admin, 'POST', '/api/services', serviceBody({ labourHours: 2 }))
      expect(created.statusCode).toBe(201)
      const service = created.json() as S
      await nextTurn()
      expect(await seenOnB(service.id)).toEqual([service, service, service, service])
      if (!paused) expect((await onB(customer, 'GET', `/api/services/${service.id}`)).headers['x-cache']).toBe('HIT')

      const renamed = (await onA(admin, 'PATCH', `/api/services/${service.id}`, { name: `Renamed ${paused}` })).json() as S
      await nextTurn()
      expect(await seenOnB(service.id)).toEqual([renamed, renamed, renamed, renamed])

      rate += 500
      expect((await onA(admin, 'PATCH', '/api/shop', { labourRateCents: rate })).statusCode).toBe(200)
      await nextTurn()
      const repriced = { ...renamed, estimatePriceCents: 2 * rate }
      expect(await seenOnB(service.id)).toEqual([repriced, repriced, repriced, repriced])

      // Deactivated: gone for the customer, still there for staff.
      const off = (await onA(admin, 'PATCH', `/api/services/${service.id}`, { active: false })).json() as S
      await nextTurn()
      expect(await seenOnB(service.id)).toEqual([undefined, undefined, off, off])
    })
  })
})
