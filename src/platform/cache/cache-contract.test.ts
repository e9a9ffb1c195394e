import { afterAll, beforeAll } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../test/support/app.ts'
import { makeCache } from '../../../test/support/cache.ts'
import { defineCacheContract } from './cache-contract.test-support.ts'

// The memory-only setup (REDIS_URL unset), on PostgreSQL (LISTEN/NOTIFY keeps the L1 honest) and on PGlite.
let testDb: TestDatabase
beforeAll(async () => {
  testDb = await createTestDatabase()
})
afterAll(async () => {
  await testDb?.drop()
})

defineCacheContract('memory only', () => makeCache(testDb, { REDIS_URL: undefined }))
