import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../src/app.ts'
import { openDatabase, type Database } from '../../src/platform/db/database.ts'
import { sqlState } from '../../src/platform/db/db-errors.ts'
import { createTestDatabase, testConfig, testDbKind, type TestDatabase } from '../support/app.ts'

// PGlite is one in-process connection with nothing to cancel a statement: PostgreSQL only.
describe.skipIf(testDbKind() !== 'postgres')('DB_STATEMENT_TIMEOUT on PostgreSQL', () => {
  let testDb: TestDatabase
  beforeAll(async () => {
    testDb = await createTestDatabase('postgres')
  })
  afterAll(async () => testDb?.drop())

  it('cancels a statement that runs longer on the pool connections', async () => {
    const database: Database = await openDatabase({ databaseUrl: testDb.url, dataDir: '', poolMax: 2, statementTimeoutMs: 300 })
    try {
      const shown = (await database.db.execute(sql`show statement_timeout`)) as unknown as { rows: { statement_timeout: string }[] }
      expect(shown.rows[0]!.statement_timeout).toBe('300ms')
      const started = performance.now()
      const error = await database.db.execute(sql`select pg_sleep(5)`).then(
        () => undefined,
        (caught: unknown) => caught,
      )
      expect(sqlState(error)).toBe('57014') // query_canceled
      expect(performance.now() - started).toBeLessThan(2000)
      // The connection is usable afterwards.
      await database.ping()
    } finally {
      await database.close()
    }
  })

  it('answers a request whose statement was cancelled with a problem that leaks nothing, quickly', async () => {
    const config = testConfig({ DATABASE_URL: testDb.url, DB_STATEMENT_TIMEOUT: '300ms' })
    // No database handed in: the app opens its own pool from the settings, as in production.
    const app = await buildApp({ config })
    app.get('/test/slow', { config: { public: true } }, async () => {
      await app.db.execute(sql`select pg_sleep(5)`)
      return { done: true }
    })
    try {
      const started = performance.now()
      const res = await app.inject({ method: 'GET', url: '/test/slow' })
      expect(performance.now() - started).toBeLessThan(2000)
      expect(res.statusCode).toBe(503)
      expect(res.headers['retry-after']).toMatch(/^\d+$/)
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
      expect(res.body).not.toMatch(/pg_sleep|statement timeout|canceling/i)
    } finally {
      await app.close()
    }
  })
})
