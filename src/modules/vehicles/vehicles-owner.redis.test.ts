import { afterAll, beforeAll, describe, it } from 'vitest'
import { buildTwoInstances, testCacheKind, testDbKind, type TwoInstances } from '../../../test/support/app.ts'
import { expectOwnerFreshAfterCustomerWrites } from './vehicles-owner.test-support.ts'

describe.skipIf(testDbKind() !== 'postgres' || testCacheKind() !== 'redis')('vehicles: the owner on staff answers, two instances', () => {
  let both: TwoInstances

  beforeAll(async () => {
    both = await buildTwoInstances()
  })
  afterAll(async () => both?.close())

  it('a customer write on one instance shows in the staff answers cached on the other', async () => {
    await expectOwnerFreshAfterCustomerWrites(both.a.app, both.b.app)
  })
})
