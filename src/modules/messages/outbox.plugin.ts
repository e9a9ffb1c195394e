import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Executor } from '../../platform/db/database.ts'
import { createSmtpTransport } from './mail-transport.ts'
import { insertMessage, type MessageDraft } from './messages.repository.ts'
import type { MessageRow } from './messages.table.ts'
import { createOutboxWorker, type OutboxWorker } from './outbox-worker.ts'

/** What other modules use to send mail: put a message in the outbox, inside their own transaction. */
export interface Outbox {
  /** Inserts the message in `tx`: it is sent only if that transaction commits. */
  enqueue(tx: Executor, draft: MessageDraft): Promise<MessageRow>
  /** The worker when SMTP_URL is set (tests drive it), otherwise undefined. */
  worker: OutboxWorker | undefined
}

declare module 'fastify' {
  interface FastifyInstance {
    outbox: Outbox
  }
}

/**
 * The mail outbox. With `SMTP_URL` a worker per process sends queued messages and retries with
 * back-off; without it every message is `recorded` at once and nothing polls. The worker starts when
 * the app is ready and stops (after its batch in progress) when the app closes.
 */
export const outboxPlugin = fp(
  async (app: FastifyInstance) => {
    const mail = app.config.mail
    const transport = mail.smtpUrl ? createSmtpTransport({ smtpUrl: mail.smtpUrl, from: mail.from }) : undefined
    const worker = transport ? createOutboxWorker({ db: app.db, transport, mail, log: app.log.child({ component: 'outbox' }) }) : undefined
    app.decorate('outbox', {
      enqueue: (tx, draft) => insertMessage(tx, draft, worker ? 'queued' : 'recorded'),
      worker,
    } satisfies Outbox)
    if (worker) {
      app.addHook('onReady', async () => worker.start())
      app.addHook('onClose', async () => {
        await worker.stop()
        transport!.close()
      })
    }
  },
  { name: 'ecar-outbox', dependencies: ['ecar-database'] },
)
