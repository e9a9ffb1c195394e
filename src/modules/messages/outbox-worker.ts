import type { FastifyBaseLogger } from 'fastify'
import type { Config } from '../../platform/config.ts'
import type { Executor } from '../../platform/db/database.ts'
import { describeSendError, type MailTransport } from './mail-transport.ts'
import { claimDueMessages, markMessageFailed, markMessageSent, scheduleMessageRetry } from './messages.repository.ts'

const BATCH = 20
const MAX_BACKOFF_MS = 3_600_000

/** The delay before attempt `attempts + 1`: base × 2^(attempts − 1), at most one hour. */
export function retryDelayMs(attempts: number, baseMs: number): number {
  return Math.min(MAX_BACKOFF_MS, baseMs * 2 ** Math.max(0, attempts - 1))
}

/** The outbox worker of one process. */
export interface OutboxWorker {
  /** Starts polling every `pollIntervalMs`. */
  start(): void
  /** Sends what is due now; resolves with how many messages it handled. */
  runOnce(): Promise<number>
  /** Stops polling and waits for the batch in progress. */
  stop(): Promise<void>
}

/**
 * Polls the outbox for due messages and sends them. Each batch is claimed in one statement
 * (SKIP LOCKED plus a lease), so instances never send the same message at the same time; a process
 * that dies after sending but before recording it lets the lease run out and the message is sent
 * again (at least once, never lost).
 */
export function createOutboxWorker(deps: {
  db: Executor
  transport: MailTransport
  mail: Config['mail']
  log: FastifyBaseLogger
}): OutboxWorker {
  const { db, transport, mail, log } = deps
  let timer: NodeJS.Timeout | undefined
  let current: Promise<unknown> | undefined
  let stopped = true

  async function runOnce(): Promise<number> {
    const claimed = await claimDueMessages(db, { limit: BATCH, leaseMs: mail.leaseMs })
    for (const message of claimed) {
      try {
        await transport.send(message)
        await markMessageSent(db, message.id)
        log.info({ messageId: message.id, kind: message.kind, attempts: message.attempts }, 'message sent')
      } catch (error) {
        const failure = describeSendError(error)
        if (failure.permanent || message.attempts >= mail.maxAttempts) {
          await markMessageFailed(db, message.id, failure.reason)
          log.error({ messageId: message.id, kind: message.kind, attempts: message.attempts, reason: failure.reason }, 'message failed')
        } else {
          const delay = retryDelayMs(message.attempts, mail.retryBaseMs)
          await scheduleMessageRetry(db, message.id, delay, failure.reason)
          log.warn({ messageId: message.id, attempts: message.attempts, retryInMs: delay, reason: failure.reason }, 'message send failed, will retry')
        }
      }
    }
    return claimed.length
  }

  function schedule(): void {
    if (stopped) return
    timer = setTimeout(tick, mail.pollIntervalMs)
    // The poll must never be what keeps a process (or a test run) alive.
    timer.unref()
  }

  function tick(): void {
    timer = undefined
    current = runOnce()
      .catch((error: unknown) => log.warn({ err: error }, 'outbox poll failed'))
      .finally(() => {
        current = undefined
        schedule()
      })
  }

  return {
    start() {
      if (!stopped) return
      stopped = false
      schedule()
    },
    runOnce,
    async stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      timer = undefined
      await current
    },
  }
}
