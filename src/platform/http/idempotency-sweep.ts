/*
 * Deletes the answers of Idempotency-Keys past their window: a key older than the window no longer
 * replays (runIdempotent claims it afresh), so its row only takes room. Each instance sweeps on a timer;
 * SKIP LOCKED lets two instances sweep at once without waiting on each other or on a write claiming an
 * expired key again.
 */
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { and, lt, sql } from 'drizzle-orm'
import type { Executor } from '../db/database.ts'
import { IDEMPOTENCY_WINDOW_HOURS } from './idempotency.ts'
import { idempotencyKeys as t } from './idempotency-keys.table.ts'

/** Rows deleted per statement: short transactions, whatever the backlog. */
export const SWEEP_BATCH = 1000
/** Batches per sweep at most: a backlog larger than this waits for the next sweep. */
const SWEEP_MAX_BATCHES = 20
/** How often each instance sweeps. */
export const SWEEP_EVERY_MS = 10 * 60 * 1000

/** Deletes up to `batch` rows older than the window, oldest first; returns how many. */
export async function sweepIdempotencyKeys(db: Executor, batch = SWEEP_BATCH): Promise<number> {
  const expired = lt(t.createdAt, sql`now() - make_interval(hours => ${IDEMPOTENCY_WINDOW_HOURS})`)
  const dead = db
    .select({ userId: t.userId, route: t.route, key: t.key })
    .from(t)
    .where(expired)
    .orderBy(t.createdAt)
    .limit(batch)
    .for('update', { skipLocked: true })
  const deleted = await db
    .delete(t)
    // The subquery locks and re-checks its rows: a key claimed again meanwhile is newer and stays.
    .where(and(sql`(${t.userId}, ${t.route}, ${t.key}) in (${dead})`, expired))
    .returning({ key: t.key })
  return deleted.length
}

/** Sweeps batch after batch until the backlog is gone (or SWEEP_MAX_BATCHES); returns how many rows went. */
export async function sweepAll(db: Executor): Promise<number> {
  let total = 0
  for (let i = 0; i < SWEEP_MAX_BATCHES; i++) {
    const deleted = await sweepIdempotencyKeys(db)
    total += deleted
    if (deleted < SWEEP_BATCH) break
  }
  return total
}

/** Sweeps when the app is ready and every SWEEP_EVERY_MS after; a failed sweep is logged and retried next time. */
export const idempotencySweepPlugin = fp(
  async (app: FastifyInstance) => {
    let timer: NodeJS.Timeout | undefined
    let running: Promise<void> | undefined
    const sweep = () => {
      running ??= sweepAll(app.db)
        .then((deleted) => {
          if (deleted > 0) app.log.info({ deleted }, 'expired idempotency keys deleted')
        })
        .catch((error: unknown) => app.log.warn({ err: error }, 'idempotency key sweep failed; retried at the next one'))
        .finally(() => {
          running = undefined
        })
    }
    app.addHook('onReady', async () => {
      sweep()
      timer = setInterval(sweep, SWEEP_EVERY_MS).unref()
    })
    app.addHook('onClose', async () => {
      clearInterval(timer)
      await running
    })
  },
  { name: 'ecar-idempotency-sweep', dependencies: ['ecar-database'] },
)
