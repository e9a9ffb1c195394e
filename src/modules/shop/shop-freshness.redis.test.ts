import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTwoInstances, testCacheKind, testDbKind, type TwoInstances } from '../../../test/support/app.ts'
import { nextTurn } from '../../../test/support/cache.ts'
import { createUser } from '../../../test/support/factories/users.ts'

describe.skipIf(testDbKind() !== 'postgres' || testCacheKind() !== 'redis')('shop settings, two instances', () => {
  let both: TwoInstances
  beforeAll(async () => {
    both = await buildTwoInstances()
  })
  afterAll(async () => both?.close())

  it('a PATCH on one instance shows in the next GET on the other', async () => {
    const admin = await createUser(both.a.app.db, { role: 'admin' })
    for (let rate = 9_001; rate <= 9_010; rate++) {
      await both.b.app.inject({ method: 'GET', url: '/api/shop' })
      expect((await both.b.app.inject({ method: 'GET', url: '/api/shop' })).headers['x-cache']).toBe('HIT')
      const res = await both.a.app.inject({ method: 'PATCH', url: '/api/shop', headers: admin.auth, payload: { labourRateCents: rate } })
      expect(res.statusCode).toBe(200)
      await nextTurn()
      expect((await both.b.app.inject({ method: 'GET', url: '/api/shop' })).json().labourRateCents).toBe(rate)
    }
  })
})
