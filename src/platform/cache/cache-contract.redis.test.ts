import { afterAll, beforeAll } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../test/support/app.ts'
import { dropPrefix, makeCache } from '../../../test/support/cache.ts'
import { defineCacheContract } from './cache-contract.test-support.ts'

// The tiered setups on a real Redis, each on a key prefix of its own (dropped afterwards).
let testDb: TestDatabase
beforeAll(async () => {
  testDb = await createTestDatabase()
})
afterAll(async () => {
  await testDb?.drop()
})

const onRedis = (env: Record<string, string> = {}) => async () => {
  const made = await makeCache(testDb, env)
  if (made.cache.backend !== 'redis') throw new Error('this suite needs the postgres+redis project')
  return { cache: made.cache, close: async () => (await made.close(), await dropPrefix(made.config)) }
}

defineCacheContract('L1 + Redis', onRedis())
defineCacheContract('Redis alone (L1 off)', onRedis({ CACHE_L1_MAX_ENTRIES: '0' }))
