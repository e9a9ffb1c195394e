import { afterAll, beforeAll, describe, it } from 'vitest'
import { buildTestApp, createTestDatabase, testCacheKind, testDbKind, uniquePrefix, type TestApp, type TestDatabase } from '../../../test/support/app.ts'
import { expectOwnerFreshAfterCustomerWrites } from './vehicles-owner.test-support.ts'

describe.skipIf(testDbKind() !== 'postgres' || testCacheKind() !== 'redis')('vehicles: the owner on staff answers, two instances', () => {
  let testDb: TestDatabase
  let a: TestApp
  let b: TestApp

  beforeAll(async () => {
    testDb = await createTestDatabase('postgres')
    const env = { CACHE_PREFIX: uniquePrefix() }
    a = await buildTestApp({ testDb, env })
    b = await buildTestApp({ testDb, env })
  })
  afterAll(async () => {
    await a?.close()
    await b?.close()
    await testDb?.drop()
  })

  it('a customer write on one instance shows in the staff answers cached on the other', async () => {
    await expectOwnerFreshAfterCustomerWrites(a.app, b.app)
  })
})
