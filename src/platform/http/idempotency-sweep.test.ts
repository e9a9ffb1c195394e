import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, createTestDatabase, testDbKind, type TestDatabase } from '../../../test/support/app.ts'
import { eventually } from '../../../test/support/cache.ts'
import { idempotencyKeys } from './idempotency-keys.table.ts'
import { sweepAll, sweepIdempotencyKeys, SWEEP_BATCH } from './idempotency-sweep.ts'
import { IDEMPOTENCY_WINDOW_HOURS } from './idempotency.ts'

const HOUR = 3_600_000

/** Expired Idempotency-Key answers are deleted in batches; live ones stay and keep replaying. */
describe('the idempotency key sweep', () => {
  let testDb: TestDatabase
  let n = 0

  beforeAll(async () => {
    testDb = await createTestDatabase()
  })
  afterAll(async () => testDb?.drop())

  const db = () => testDb.database.db
  /** `count` answered keys of user `userId`, `ageHours` old. */
  async function keys(userId: number, count: number, ageHours: number) {
    const createdAt = new Date(Date.now() - ageHours * HOUR)
    const rows = Array.from({ length: count }, () => ({ userId, route: 'POST /api/things', key: `k-${++n}`, requestHash: 'h', status: 201, body: { ok: true }, createdAt }))
    for (let i = 0; i < rows.length; i += 1000) await db().insert(idempotencyKeys).values(rows.slice(i, i + 1000))
  }
  const countOf = async (userId: number) =>
    Number((await db().select({ n: sql<number>`count(*)` }).from(idempotencyKeys).where(sql`${idempotencyKeys.userId} = ${userId}`))[0]!.n)

  it('deletes the keys past the window and keeps those inside it', async () => {
    await keys(1, 3, IDEMPOTENCY_WINDOW_HOURS + 1)
    await keys(2, 3, IDEMPOTENCY_WINDOW_HOURS - 1)
    expect(await sweepAll(db())).toBe(3)
    expect([await countOf(1), await countOf(2)]).toEqual([0, 3])
    expect(await sweepAll(db())).toBe(0)
  })

  it('deletes one batch per statement, oldest first, and sweepAll goes on until the backlog is gone', async () => {
    await keys(3, SWEEP_BATCH + 5, IDEMPOTENCY_WINDOW_HOURS + 2)
    await keys(4, 5, IDEMPOTENCY_WINDOW_HOURS + 30)
    expect(await sweepIdempotencyKeys(db(), 5)).toBe(5)
    // The oldest went first.
    expect(await countOf(4)).toBe(0)
    expect(await sweepAll(db())).toBe(SWEEP_BATCH + 5)
    expect(await countOf(3)).toBe(0)
  })

  it('skips rows another transaction holds, without waiting for it', async () => {
    await keys(5, 2, IDEMPOTENCY_WINDOW_HOURS + 1)
    const [held] = await db().select().from(idempotencyKeys).where(sql`${idempotencyKeys.userId} = 5`).limit(1)
    let release!: () => void
    const released = new Promise<void>((resolve) => (release = resolve))
    let locked!: () => void
    const isLocked = new Promise<void>((resolve) => (locked = resolve))
    const holder = testDb.database.transaction(async (tx) => {
      await tx.execute(sql`select 1 from idempotency_keys where user_id = 5 and key = ${held!.key} for update`)
      locked()
      await released
    })
    await isLocked
    try {
      // PGlite runs one transaction at a time: the skip is PostgreSQL's to show.
      if (testDbKind() === 'postgres') {
        expect(await sweepIdempotencyKeys(db())).toBe(1)
        expect(await countOf(5)).toBe(1)
      }
    } finally {
      release()
      await holder
    }
    expect(await sweepAll(db())).toBe(testDbKind() === 'postgres' ? 1 : 2)
  })

  it('runs when the app is ready', async () => {
    await keys(6, 4, IDEMPOTENCY_WINDOW_HOURS + 1)
    const t = await buildTestApp({ testDb })
    try {
      await eventually(async () => (await countOf(6)) === 0, 10_000, 'the start-up sweep')
    } finally {
      await t.close()
    }
  })
})
