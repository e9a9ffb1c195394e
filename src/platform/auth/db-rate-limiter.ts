import { randomBytes } from 'node:crypto'
import { and, eq, gt, inArray, like, lt, sql } from 'drizzle-orm'
import type { Executor } from '../db/database.ts'
import { hashId, seconds, type RateDecision, type RateRule } from './rate-limiter.ts'
import { rateLimitCounters as t } from './rate-limit.table.ts'

/** A counter id: one value, or parts (account, address) whose first part can be cleared as a group. */
export type CounterId = string | readonly [string, string]

/**
 * A back-off rule: `limit` attempts per window pass freely; past it one attempt passes per delay,
 * the delay doubling from `baseDelayMs` with each one admitted, capped at the window.
 */
export interface BackoffRule extends RateRule {
  baseDelayMs: number
}

/** Rate-limit counters in PostgreSQL (or PGlite): exact across instances, never evicted. */
export interface DbRateLimiter {
  /** Counts one event for `id` and says whether it is within the rule. */
  hit(rule: RateRule, id: CounterId): Promise<RateDecision>
  /** Takes back one event counted by `hit` (an attempt that turned out not to count). */
  undo(rule: RateRule, id: CounterId): Promise<void>
  /** Events counted in the current window (0 when none). */
  peek(rule: RateRule, id: CounterId): Promise<number>
  /** Admits or refuses one attempt under a back-off rule, in one statement; refused attempts do not count. */
  backoff(rule: BackoffRule, id: CounterId): Promise<RateDecision>
  /** Clears the counter of `id`; with a one-part id under a two-part rule, every counter starting with it. */
  reset(rule: RateRule, id: CounterId, options?: { allUnder?: boolean }): Promise<number>
  /** Deletes up to `batch` rows whose window has ended; returns how many. */
  cleanup(batch?: number): Promise<number>
}

/** How often a hit also deletes dead rows. */
const CLEANUP_EVERY_MS = 60_000

/** The counters of `db`, with the application clock (`now`, for tests). */
export function createDbRateLimiter(db: Executor, options: { now?: () => number } = {}): DbRateLimiter {
  const now = options.now ?? Date.now
  let lastCleanup = now()

  const keyOf = (rule: RateRule, id: CounterId) =>
    typeof id === 'string' ? `${rule.name}:${hashId(id)}` : `${rule.name}:${hashId(id[0])}:${hashId(id[1])}`

  async function maybeCleanup(at: number) {
    if (at - lastCleanup < CLEANUP_EVERY_MS) return
    lastCleanup = at
    await limiter.cleanup()
  }

  const limiter: DbRateLimiter = {
    async hit(rule, id) {
      const at = now()
      const expired = sql`${t.resetAt} <= ${at}`
      const [row] = await db
        .insert(t)
        .values({ key: keyOf(rule, id), count: 1, resetAt: at + rule.windowMs })
        .onConflictDoUpdate({
          target: t.key,
          set: {
            count: sql`case when ${expired} then 1 else ${t.count} + 1 end`,
            resetAt: sql`case when ${expired} then excluded.reset_at else ${t.resetAt} end`,
          },
        })
        .returning({ count: t.count, resetAt: t.resetAt })
      await maybeCleanup(at)
      return { allowed: row!.count <= rule.limit, count: row!.count, retryAfterSeconds: seconds(row!.resetAt - at), store: 'database' }
    },

    async undo(rule, id) {
      await db
        .update(t)
        .set({ count: sql`${t.count} - 1` })
        .where(and(eq(t.key, keyOf(rule, id)), gt(t.count, 0), gt(t.resetAt, now())))
    },

    async peek(rule, id) {
      const [row] = await db
        .select({ count: t.count })
        .from(t)
        .where(and(eq(t.key, keyOf(rule, id)), gt(t.resetAt, now())))
      return row?.count ?? 0
    },

    async backoff(rule, id) {
      const at = now()
      const ticket = randomBytes(9).toString('base64url')
      const expired = sql`${t.resetAt} <= ${at}`
      const admit = sql`(${expired} or ${t.count} < ${rule.limit} or ${t.nextAt} <= ${at})`
      const next = sql`(case when ${expired} then 1 else ${t.count} + 1 end)`
      // Once an admitted attempt reaches the limit, the next one waits base * 2^(count - limit), at most the window.
      const delay = (count: typeof next) =>
        sql`case when ${count} < ${rule.limit} then 0 else least(${rule.windowMs}::bigint, ${rule.baseDelayMs}::bigint * power(2, least(${count} - ${rule.limit}, 40))::bigint) end`
      const first = rule.limit <= 1 ? at + Math.min(rule.windowMs, rule.baseDelayMs) : 0
      const [row] = await db
        .insert(t)
        .values({ key: keyOf(rule, id), count: 1, resetAt: at + rule.windowMs, nextAt: first, ticket })
        .onConflictDoUpdate({
          target: t.key,
          set: {
            count: sql`case when ${admit} then ${next} else ${t.count} end`,
            nextAt: sql`case when ${admit} then ${at}::bigint + ${delay(next)} else ${t.nextAt} end`,
            resetAt: sql`case when ${expired} then excluded.reset_at else ${t.resetAt} end`,
            ticket: sql`case when ${admit} then excluded.ticket else ${t.ticket} end`,
          },
        })
        .returning({ count: t.count, resetAt: t.resetAt, nextAt: t.nextAt, ticket: t.ticket })
      await maybeCleanup(at)
      const allowed = row!.ticket === ticket
      // Refused until the next slot or the end of the window, whichever is first.
      const wait = Math.min(row!.nextAt, row!.resetAt) - at
      return { allowed, count: row!.count, retryAfterSeconds: seconds(allowed ? row!.resetAt - at : wait), store: 'database' }
    },

    async reset(rule, id, options = {}) {
      const key = keyOf(rule, id)
      const deleted = await db
        .delete(t)
        .where(options.allUnder ? like(t.key, `${key}:%`) : eq(t.key, key))
        .returning({ key: t.key })
      return deleted.length
    },

    async cleanup(batch = 1000) {
      const dead = db.select({ key: t.key }).from(t).where(lt(t.resetAt, now())).limit(batch)
      const deleted = await db.delete(t).where(inArray(t.key, dead)).returning({ key: t.key })
      return deleted.length
    },
  }
  return limiter
}
