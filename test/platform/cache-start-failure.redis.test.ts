import { sql } from 'drizzle-orm'
import { Redis } from 'ioredis'
import { describe, expect, it } from 'vitest'
import { buildApp } from '../../src/app.ts'
import { createTestDatabase, testConfig, testRedisUrl } from '../support/app.ts'

describe('a start that fails in the cache plugin', () => {
  it('leaves no Redis connection open when the cache identity cannot be read', async () => {
    const testDb = await createTestDatabase()
    const probe = new Redis(testRedisUrl()!)
    try {
      await testDb.database.db.execute(sql`drop table cache_identity`)
      const config = testConfig({ DATABASE_URL: testDb.url })
      await expect(buildApp({ config, database: testDb.database })).rejects.toThrow(/cache_identity/)
      const clients = String(await probe.client('LIST'))
      expect(clients).not.toContain(`name=ecar:${config.cache.prefix}:command`)
    } finally {
      probe.disconnect()
      await testDb.drop()
    }
  })
})
