import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, testDbKind, type TestDatabase } from '../../../test/support/app.ts'
import { openDatabase, type Database } from '../db/database.ts'
import { createDbRateLimiter, type BackoffRule } from './db-rate-limiter.ts'
import { rateLimitCounters } from './rate-limit.table.ts'
import type { RateRule } from './rate-limiter.ts'

const rule: RateRule = { name: 'test', limit: 3, windowMs: 60_000 }

describe('rate-limit counters in the database', () => {
  let testDb: TestDatabase
  beforeAll(async () => {
    testDb = await createTestDatabase()
  })
  afterAll(async () => testDb?.drop())
  const db = () => testDb.database.db

  it('counts in fixed windows, takes back with undo and clears with reset', async () => {
    let now = 1_000_000
    const limiter = createDbRateLimiter(db(), { now: () => now })
    for (let i = 1; i <= 3; i++) expect(await limiter.hit(rule, 'a')).toMatchObject({ allowed: true, count: i, store: 'database' })
    now += 20_000
    expect(await limiter.hit(rule, 'a')).toEqual({ allowed: false, count: 4, retryAfterSeconds: 40, store: 'database' })
    await limiter.undo(rule, 'a')
    expect(await limiter.peek(rule, 'a')).toBe(3)
    expect((await limiter.hit(rule, 'b')).count).toBe(1)
    now += 40_000
    expect(await limiter.peek(rule, 'a')).toBe(0)
    expect(await limiter.hit(rule, 'a')).toMatchObject({ allowed: true, count: 1, retryAfterSeconds: 60 })
    await limiter.reset(rule, 'a')
    expect(await limiter.peek(rule, 'a')).toBe(0)
  })

  it('counts concurrent hits of two instances exactly', async () => {
    // A second pool on the same database stands for a second instance (PGlite has one connection).
    const other: Database | undefined = testDbKind() === 'postgres' ? await openDatabase({ databaseUrl: testDb.url, dataDir: '', poolMax: 5 }) : undefined
    try {
      const a = createDbRateLimiter(db())
      const b = createDbRateLimiter(other?.db ?? db())
      const many: RateRule = { name: 'race', limit: 10, windowMs: 60_000 }
      const decisions = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).hit(many, 'x')))
      expect(decisions.map((d) => d.count).sort((p, q) => p - q)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1))
      expect(decisions.filter((d) => d.allowed)).toHaveLength(10)
    } finally {
      await other?.close()
    }
  })

  it('backs off past the limit: one attempt per delay, doubling, refused ones not counted, capped at the window', async () => {
    let now = 5_000_000
    const limiter = createDbRateLimiter(db(), { now: () => now })
    const backoff: BackoffRule = { name: 'backoff', limit: 2, windowMs: 60_000, baseDelayMs: 1000 }
    const attempt = async () => {
      const d = await limiter.backoff(backoff, 'acct')
      return [d.allowed, d.count, d.retryAfterSeconds]
    }
    expect(await attempt()).toEqual([true, 1, 60])
    expect(await attempt()).toEqual([true, 2, 60])
    expect(await attempt()).toEqual([false, 2, 1])
    now += 1000
    expect(await attempt()).toEqual([true, 3, 59])
    expect(await attempt()).toEqual([false, 3, 2])
    now += 2000
    expect((await attempt())[0]).toBe(true)
    expect(await attempt()).toEqual([false, 4, 4])
    now += 4000
    expect((await attempt())[0]).toBe(true)
    expect(await attempt()).toEqual([false, 5, 8])
    // The wait never outlasts the window: then the counter starts again.
    now += 8000
    expect(await attempt()).toEqual([true, 6, 45])
    // Next slot: 16 s later; the one after would be 32 s later, past the window's end at 60 s.
    expect(await attempt()).toEqual([false, 6, 16])
    now += 16_000
    expect(await attempt()).toEqual([true, 7, 29])
    expect(await attempt()).toEqual([false, 7, 29])
    now += 29_000
    expect(await attempt()).toEqual([true, 1, 60])
  })

  it('admits exactly `limit` of concurrent back-off attempts', async () => {
    const limiter = createDbRateLimiter(db())
    const backoff: BackoffRule = { name: 'backoff-race', limit: 5, windowMs: 60_000, baseDelayMs: 10_000 }
    const decisions = await Promise.all(Array.from({ length: 20 }, () => limiter.backoff(backoff, 'acct')))
    expect(decisions.filter((d) => d.allowed)).toHaveLength(5)
  })

  it('clears a group of two-part counters by their first part, and cleans up ended windows', async () => {
    let now = 9_000_000
    const limiter = createDbRateLimiter(db(), { now: () => now })
    const pair: RateRule = { name: 'pair', limit: 5, windowMs: 1000 }
    await limiter.hit(pair, ['someone@example.test', '10.0.0.1'])
    await limiter.hit(pair, ['someone@example.test', '10.0.0.2'])
    await limiter.hit(pair, ['other@example.test', '10.0.0.1'])
    expect(await limiter.reset(pair, 'someone@example.test', { allUnder: true })).toBe(2)
    expect(await limiter.peek(pair, ['other@example.test', '10.0.0.1'])).toBe(1)
    const keys = (await db().select({ key: rateLimitCounters.key }).from(rateLimitCounters)).map((r) => r.key)
    expect(keys.join(' ')).not.toMatch(/example|10\.0/)
    now += 2000
    expect(await limiter.cleanup()).toBeGreaterThan(0)
    expect(await limiter.peek(pair, ['other@example.test', '10.0.0.1'])).toBe(0)
    const left = await db().select({ key: rateLimitCounters.key }).from(rateLimitCounters)
    expect(left.filter((r) => r.key.startsWith('pair:'))).toEqual([])
  })
})
