import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../test/support/app.ts'
import { idempotencyKeys } from './idempotency-keys.table.ts'
import { requestHash, runIdempotent, type IdempotencyClaim } from './idempotency.ts'

/** The platform's Idempotency-Key machinery on its own: one run per key, replays, reuse with another body, expiry. */
describe('idempotency keys', () => {
  let testDb: TestDatabase
  let runs = 0
  let n = 0

  beforeAll(async () => {
    testDb = await createTestDatabase()
  })
  afterAll(async () => testDb?.drop())

  const claim = (body: unknown, key = `k-${++n}`): IdempotencyClaim => ({ userId: 7, route: 'POST /api/things', key, requestHash: requestHash(body) })
  const run = (c: IdempotencyClaim, fail = false) =>
    testDb.database.transaction((tx) =>
      runIdempotent(tx, c, async () => {
        runs++
        // Something slow between the claim and the commit, so concurrent requests really overlap.
        await tx.execute(sql`select pg_sleep(0.05)`)
        if (fail) throw new Error('refused')
        return { status: 201, body: { id: runs }, location: `/api/things/${runs}` }
      }),
    )

  it('replays the first answer for the same key and body, without running the work again', async () => {
    const c = claim({ a: 1, b: [2] })
    const first = await run(c)
    const before = runs
    const again = await run({ ...c, requestHash: requestHash({ b: [2], a: 1 }) })
    expect(first.replayed).toBe(false)
    expect(again).toEqual({ ...first, replayed: true })
    expect(runs).toBe(before)
  })

  it('refuses the same key with another body (422) and runs nothing', async () => {
    const c = claim({ a: 1 })
    await run(c)
    const before = runs
    await expect(run({ ...c, requestHash: requestHash({ a: 2 }) })).rejects.toMatchObject({ status: 422, code: 'ECAR_ERR_IDEMPOTENCY_KEY_REUSED' })
    expect(runs).toBe(before)
  })

  it('keys are per user and route', async () => {
    const c = claim({ a: 1 })
    await run(c)
    const before = runs
    expect((await run({ ...c, userId: 8 })).replayed).toBe(false)
    expect((await run({ ...c, route: 'POST /api/others' })).replayed).toBe(false)
    expect(runs).toBe(before + 2)
  })

  it('a refused write leaves no key behind: the retry runs', async () => {
    const c = claim({ a: 1 })
    await expect(run(c, true)).rejects.toThrow('refused')
    expect((await run(c)).replayed).toBe(false)
  })

  it('after 24 hours the key starts again', async () => {
    const c = claim({ a: 1 })
    await run(c)
    await testDb.database.db.update(idempotencyKeys).set({ createdAt: new Date(Date.now() - 25 * 3_600_000) }).where(sql`${idempotencyKeys.key} = ${c.key}`)
    const before = runs
    const later = await run({ ...c, requestHash: requestHash({ other: true }) })
    expect(later.replayed).toBe(false)
    expect(runs).toBe(before + 1)
  })

  it('concurrent requests with one key run the work once; the others replay it', async () => {
    const c = claim({ a: 1 })
    const before = runs
    const answers = await Promise.all(Array.from({ length: 8 }, () => run(c)))
    expect(runs).toBe(before + 1)
    expect(answers.filter((a) => !a.replayed)).toHaveLength(1)
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1)
  })
})
