import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../src/cli/run-cli.ts'
import { createTestDatabase, deleteRedisPrefix, testDbKind, testRedisUrl, uniquePrefix, type TestDatabase } from '../support/app.ts'
import { createUser } from '../support/factories/users.ts'
import { createVehicle } from '../support/factories/vehicles.ts'

// `ecar cache …` against the configured PostgreSQL and Redis, as an operator runs it.
describe.skipIf(testDbKind() !== 'postgres' || !testRedisUrl())('ecar cache commands', () => {
  let testDb: TestDatabase
  const prefix = uniquePrefix()
  const run = async (...argv: string[]) => {
    const out: string[] = []
    const err: string[] = []
    const code = await runCli(argv, {
      env: { DATABASE_URL: testDb.url, REDIS_URL: testRedisUrl(), CACHE_PREFIX: prefix, LOG_LEVEL: 'silent' },
      out: (line) => out.push(line),
      err: (line) => err.push(line),
    })
    return { code, out: out.join('\n'), err: err.join('\n') }
  }

  beforeAll(async () => {
    testDb = await createTestDatabase('postgres')
    for (let i = 0; i < 30; i++) {
      const customer = await createUser(testDb.database.db)
      if (i % 3 !== 0) await createVehicle(testDb.database.db, customer.id)
    }
  })
  afterAll(async () => {
    await deleteRedisPrefix(testRedisUrl()!, prefix)
    await testDb?.drop()
  })

  it('warm loads every customer, then finds them cached', async () => {
    const first = await run('cache', 'warm')
    expect(first.err).toBe('')
    expect(first.code).toBe(0)
    expect(first.out).toMatch(/for 30 customers .*: 30 loaded, 0 already cached, 0 failed/)
    const second = await run('cache', 'warm')
    expect(second.out).toMatch(/0 loaded, 30 already cached/)
  })

  it('stats prints a table with the key counts', async () => {
    const res = await run('cache', 'stats')
    expect(res.code).toBe(0)
    expect(res.out).toMatch(/backend redis/)
    // A healthy Redis is reported up, not degraded (issue #13).
    expect(res.out).toMatch(/^backend redis \(up\)/)
    expect(res.out).toMatch(/customer_vehicles\s+30\s/)
    expect(res.out).toMatch(/memory .* used/)
  })

  it('clear --pattern removes the matching entries; an empty pattern is refused', async () => {
    expect((await run('cache', 'clear', '--pattern', '')).code).toBe(1)
    const res = await run('cache', 'clear', '--pattern', 'customer_vehicles_*')
    expect(res.code).toBe(0)
    expect(res.out).toMatch(/^Cleared 30 Redis keys matching customer_vehicles_\*/)
    expect((await run('cache', 'warm')).out).toMatch(/30 loaded/)
    expect((await run('cache', 'nonsense')).code).toBe(1)
  })
})
